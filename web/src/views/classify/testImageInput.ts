/** A test image of the export as Classify's input (`#/classify?test=N`): its true label, and links to the images before and after it. */
import {CLASS_NAMES} from "../../../../src/core/data/fashionMnist.js";
import {loadExport, testImage} from "../../data/exportData.js";
import {h} from "../../ui/dom.js";
import type {Step} from "./stepsStrip.js";

export interface TestImageInput {
  steps: Step[];
  /** The 784 model inputs. */
  input: Float32Array;
  /** Its true class. */
  label: number;
}

/**
 * Loads test image `index`, fills `label` and `nav` (whose links go to `hrefOf(i)`, read when a
 * link is followed so that it carries the view's state then), and returns the model's input.
 * Throws a DataError when there is no export or no such image.
 */
export async function testImageInput(
  index: number,
  label: HTMLElement,
  nav: HTMLElement,
  hrefOf: (i: number) => string
): Promise<TestImageInput> {
  const data = await loadExport();
  const pixels = testImage(data, index);
  label.textContent = `Test image ${index} · true label: ${CLASS_NAMES[data.labels[index]]}`;
  label.hidden = false;
  const link = (i: number, text: string) =>
    i >= 0 && i < data.count ? h("a", {href: hrefOf(i), "data-test": i}, text) : null;
  nav.replaceChildren(
    ...[link(index - 1, "← previous test image"), link(index + 1, "next test image →")].filter((x) => x !== null)
  );
  nav.onclick = (event) => {
    const a = (event.target as Element).closest<HTMLAnchorElement>("a[data-test]");
    if (a) a.href = hrefOf(Number(a.dataset.test));
  };
  nav.hidden = false;
  const raster = {
    width: 28,
    height: 28,
    channels: 1 as const,
    data: Uint8Array.from(pixels, (v) => Math.round(v * 255))
  };
  return {
    steps: [{id: "test", title: `Test image ${index}: already 28×28, used as it is`, raster}],
    input: pixels,
    label: data.labels[index]
  };
}
