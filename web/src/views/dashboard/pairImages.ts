/** The test images of one (true, predicted) pair as thumbnails, each a link to Classify. */
import {routeHash} from "../../router.js";
import type {ExportData} from "../../data/exportData.js";
import {h} from "../../ui/dom.js";
import {testThumbnail} from "../../ui/thumbnail.js";

/** Shown at first; a button adds the rest (a diagonal cell has about 1,000 images). */
const FIRST_PAGE = 240;

/** Indices of the test images with true class `t` predicted as `p`, in test-set order. */
export function pairIndices(labels: ArrayLike<number>, predicted: ArrayLike<number>, t: number, p: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < labels.length; i++) if (labels[i] === t && predicted[i] === p) out.push(i);
  return out;
}

function thumbnailLink(data: ExportData, i: number, classNames: readonly string[]): HTMLAnchorElement {
  const text = `Test image ${i}: true ${classNames[data.labels[i]]}, predicted ${classNames[data.predicted[i]]} (${(data.scores[i] * 100).toFixed(0)}%)`;
  return h(
    "a",
    {href: routeHash("classify", {test: i}), class: "thumb-link", title: `${text}. Open in Classify.`},
    testThumbnail(data, i, 2, text)
  );
}

/** Fills `target` with the pair's heading and thumbnails. */
export function showPair(
  target: HTMLElement,
  data: ExportData,
  classNames: readonly string[],
  t: number,
  p: number
): void {
  const indices = pairIndices(data.labels, data.predicted, t, p);
  const list = h("div", {class: "thumb-grid", "data-count": indices.length});
  const add = (from: number, to: number) => {
    for (let k = from; k < Math.min(to, indices.length); k++) list.append(thumbnailLink(data, indices[k], classNames));
  };
  add(0, FIRST_PAGE);
  const heading = h(
    "h2",
    {id: "pair-heading", tabindex: "-1"},
    `True ${classNames[t]}, predicted ${classNames[p]}: ${indices.length} image${indices.length === 1 ? "" : "s"}`
  );
  const more =
    indices.length > FIRST_PAGE
      ? h(
          "button",
          {
            type: "button",
            onclick: () => {
              add(FIRST_PAGE, indices.length);
              more?.remove();
            }
          },
          `Show all ${indices.length}`
        )
      : null;
  // An error pair leads to Classify's contrastive maps: why the network said p rather than t.
  const why =
    t !== p && indices.length > 0
      ? h(
          "p",
          {},
          h(
            "a",
            {href: routeHash("classify", {true: t, predicted: p}), "data-testid": "contrast-link"},
            `Why ${classNames[p]} rather than ${classNames[t]}? The contrastive Grad-CAM of these images →`
          )
        )
      : null;
  target.replaceChildren(
    heading,
    why ?? "",
    h("p", {class: "muted"}, indices.length ? "Each image opens in Classify." : "No test image has this pair."),
    list,
    more ?? ""
  );
}
