/**
 * Classify's state as route parameters, and back: the test image shown, the input source and the
 * class activation map's pickers, e.g. `#/classify?test=42&method=gradcam&layer=conv2d_3&class=7`
 * or `#/classify?source=draw`. Defaults (file source, CAM, the last convolution, the predicted
 * class) are left out. A photo or a drawing itself is not kept: it never leaves the page.
 */
import type {RouteParams} from "../../router.js";
import type {CamChoice} from "./camPanel.js";

export const SOURCE_NAMES = ["file", "draw", "webcam"] as const;
export type SourceName = (typeof SOURCE_NAMES)[number];

export interface ClassifyUrlState {
  /** The test image shown, if one is. */
  test?: number;
  source: SourceName;
  cam: CamChoice;
}

export function classifyParams(state: ClassifyUrlState): RouteParams {
  return {
    test: state.test,
    source: state.source === "file" ? undefined : state.source,
    method: state.cam.method === "cam" ? undefined : state.cam.method,
    layer: state.cam.layer,
    class: state.cam.classIndex
  };
}

export function readClassifyParams(params: URLSearchParams): ClassifyUrlState {
  const test = params.get("test");
  const source = params.get("source");
  const classText = params.get("class");
  return {
    test: test === null ? undefined : Number(test),
    source: (SOURCE_NAMES as readonly (string | null)[]).includes(source) ? (source as SourceName) : "file",
    cam: {
      method: params.get("method") === "gradcam" ? "gradcam" : "cam",
      layer: params.get("layer") ?? undefined,
      classIndex: classText === null || classText === "" ? undefined : Number(classText)
    }
  };
}
