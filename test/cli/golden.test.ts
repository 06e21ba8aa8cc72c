/**
 * The golden export (issue 15): `fmnist export` of the seed's Keras model on the first 1,000 test
 * images with 2-D PCA writes exactly the embedding_tensors.tsv and metadata.tsv it wrote before the
 * code was laid out by layer (recorded on commit 640acad). The embeddings' last bits depend on the
 * backend's arithmetic, so there is one hash per backend; --debug names the backend used.
 */
import {createHash} from "node:crypto";
import {mkdtempSync, readFileSync, rmSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";

import {afterAll, describe, expect, it} from "vitest";

import {runCli} from "../helpers/cli.js";
import {SEED_MODEL} from "../helpers/paths.js";

const METADATA_TSV = "430f6dedbaa0d5a36c7b265699a6647796076f953310855a77199d0c3bbd3786";
/** embedding_tensors.tsv by backend (wasm+onednn: with the native addon; wasm: FMNIST_NATIVE=0). */
const EMBEDDING_TSV: Record<string, string> = {
  "wasm+onednn": "343f89e1915c8bde9b05a25b6f1f00b599568fdf10924addfdf8e447bced154c",
  wasm: "7d0715cf50993706712eec3ed906c6b43693d7c4de7407307ede76ac5c726fd9",
  cpu: "67caef1f157530367e64b8a6058120238b0814385075f499854b4d80aef1d3d1"
};

const root = mkdtempSync(join(tmpdir(), "fmnist-golden-"));
afterAll(() => rmSync(root, {recursive: true, force: true}));

const sha256 = (path: string) => createHash("sha256").update(readFileSync(path)).digest("hex");

describe("the golden export of the seed model", () => {
  it("writes byte-identical embedding_tensors.tsv and metadata.tsv", async () => {
    const out = join(root, "p");
    const args = ["export", "--model", SEED_MODEL, "--count", "1000", "--projections", "pca", "--dims", "2"];
    const r = await runCli([...args, "--out", out, "--no-progress", "--debug"], 300_000);
    expect(r.code, r.stderr).toBe(0);
    const backend = /^fmnist: backend (\S+)$/m.exec(r.stderr)?.[1] ?? "";
    expect(Object.keys(EMBEDDING_TSV), `backend ${backend}`).toContain(backend);
    expect(sha256(join(out, "metadata.tsv"))).toBe(METADATA_TSV);
    expect(sha256(join(out, "embedding_tensors.tsv"))).toBe(EMBEDDING_TSV[backend]);
  }, 300_000);
});
