/**
 * `npx tsx bench/ood.ts [--model PATH] [--count N] [--bank N] [--k 1,3,5,10] [--no-tta]`: compares
 * the out-of-distribution scores (src/core/model/oodScores.ts) on the offline OOD benchmark
 * (src/node/ood/benchmark.ts). Prints AUROC, the detection rate at the threshold that flags 5 %
 * of the even-index test images, the false-alarm rate on the odd-index ones, and detection per
 * group; the table goes into docs/ood.md.
 */
import {parseArgs} from "node:util";

import {normalise} from "../src/core/data/dataset.js";
import {OOD_METHODS, type OodMethod} from "../src/core/formats/oodStats.js";
import {evaluateMethod, type MethodResult} from "../src/core/model/oodEvaluate.js";
import {denseHead} from "../src/core/model/oodFeatures.js";
import {fitOodStatistics} from "../src/core/model/oodScores.js";
import {selectBackend} from "../src/node/backend/selectBackend.js";
import {loadFashionMnist} from "../src/node/data/loadFashionMnist.js";
import {DEFAULT_MODEL_DIR} from "../src/node/model/defaultModel.js";
import {loadAnyModel} from "../src/node/model/loadAnyModel.js";
import {oodBenchmarkGroups, viewsOf} from "../src/node/ood/benchmark.js";

const {values} = parseArgs({
  options: {
    model: {type: "string"},
    count: {type: "string", default: "20000"},
    bank: {type: "string", default: "5000"},
    k: {type: "string", default: "1,5,10"},
    "no-tta": {type: "boolean", default: false}
  }
});
const log = (line: string) => process.stderr.write(line + "\n");
const pct = (v: number) => `${(v * 100).toFixed(1)} %`;

await selectBackend();
const started = performance.now();
const modelPath = values.model ?? DEFAULT_MODEL_DIR;
const {model} = await loadAnyModel(modelPath);
const head = denseHead(model);
const mirror = !values["no-tta"];
const train = normalise(await loadFashionMnist("train", {limit: Number(values.count)}));
log(`embedding ${train.count} training images…`);
const trainViews = await viewsOf(model, head, train.xs, false);
const test = normalise(await loadFashionMnist("test", {}));
log(`embedding the ${test.count} test images${mirror ? " and their mirror images" : ""}…`);
const testViews = await viewsOf(model, head, test.xs, mirror);
const groups = await oodBenchmarkGroups(test.xs);
log(`embedding ${groups.reduce((n, g) => n + g.count, 0)} OOD inputs…`);
const groupViews = [];
for (const g of groups) groupViews.push({name: g.name, views: await viewsOf(model, head, g.xs, mirror)});
model.dispose();

const rows: {name: string; result: MethodResult; ms: number}[] = [];
for (const k of values.k.split(",").map(Number)) {
  const t0 = performance.now();
  const stats = fitOodStatistics(trainViews.given, train.ys, {k, bankSize: Number(values.bank)});
  const fitMs = performance.now() - t0;
  const methods: OodMethod[] = k === Number(values.k.split(",")[0]) ? [...OOD_METHODS] : ["knn"];
  for (const method of methods) {
    const t1 = performance.now();
    const result = evaluateMethod(stats, method, testViews, groupViews);
    rows.push({name: method === "knn" ? `knn k=${k}` : method, result, ms: performance.now() - t1 + fitMs});
    log(`${rows.at(-1)?.name}: AUROC ${result.auroc.toFixed(3)}`);
  }
}

const names = groups.map((g) => g.name);
console.log(
  `model ${modelPath}; ${train.count} training images (kNN bank ${values.bank}); TTA ${mirror ? "on" : "off"}`
);
console.log(`OOD benchmark (${groups.reduce((n, g) => n + g.count, 0)} inputs):`);
for (const g of groups) console.log(`- ${g.name} (${g.count}): ${g.description}`);
console.log("");
console.log(`| score | AUROC | detection at 5 % FA | FA (odd test) | ${names.join(" | ")} |`);
console.log(`|---|---|---|---|${names.map(() => "---").join("|")}|`);
for (const {name, result} of rows.sort((a, b) => b.result.auroc - a.result.auroc)) {
  const per = names.map((n) => pct(result.groups[n])).join(" | ");
  console.log(
    `| ${name} | ${result.auroc.toFixed(3)} | ${pct(result.detection)} | ${pct(result.falseAlarmRate)} | ${per} |`
  );
}
console.log(`\nwall time ${((performance.now() - started) / 1000).toFixed(0)} s`);
