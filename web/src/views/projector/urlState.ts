/**
 * The projector's state as route parameters, and back:
 * `#/projector?method=tsne&dim=3&colour=correct&q=wrong&sel=3,10-12&k=20&cam=0.1,-0.2,4`.
 * Defaults are left out; for the custom method the two axes' queries come along
 * (`xfrom`, `xto`, `yfrom`, `yto`) so that the projection can be made again. Without `sel`, a
 * search selects what it finds; `sel=` (empty) is an empty selection.
 */
import type {RouteParams} from "../../router.js";
import type {CameraState} from "./cameraRig.js";
import {COLOURING_NAMES, type Colouring} from "./colouring.js";
import type {CustomLayout, CustomQueries} from "./customControls.js";
import {METHOD_NAMES, type Dim, type Method} from "./layouts.js";
import {decodeSelection, encodeSelection} from "./selectionCodec.js";

export const NEIGHBOUR_COUNTS = [5, 10, 20, 50] as const;
const DEFAULT_K = 10;

export interface ProjectorUrlState {
  method: Method;
  dim: Dim;
  colouring: Colouring;
  /** The search text ("" for none). */
  query: string;
  /** Sorted indices; undefined: whatever the search finds. */
  selection?: number[];
  /** Neighbours listed for the selection. */
  k: number;
  camera?: CameraState;
  /** The custom projection's queries, when one was made. */
  custom?: CustomQueries;
}

/** What the projector shows (index.ts owns it; urlSync.ts writes it into the URL). */
export interface ProjectorState {
  method: Method;
  dim: Dim;
  colouring: Colouring;
  query: string;
  /** Sorted, distinct indices. */
  selection: number[];
  /** The selection is what the search found (the URL then keeps only the query). */
  fromSearch: boolean;
  k: number;
  custom?: CustomLayout;
}

/** Four decimals: a ten-thousandth of the layout's radius, far below a pixel until zoom 400. */
function number(v: number): string {
  return String(Number(v.toFixed(4)));
}

/** The parameters of a state (`defaultMethod`: what the view shows when the URL names none). */
export function projectorParams(state: ProjectorUrlState, defaultMethod: Method): RouteParams {
  const params: RouteParams = {
    method: state.method === defaultMethod ? undefined : state.method,
    dim: state.dim === 2 ? undefined : state.dim,
    colour: state.colouring === "label" ? undefined : state.colouring,
    q: state.query || undefined,
    sel: state.selection === undefined ? undefined : encodeSelection(state.selection),
    k: state.k === DEFAULT_K ? undefined : state.k,
    cam: state.camera?.map(number).join(",")
  };
  if (state.custom) {
    params.xfrom = state.custom.xFrom;
    params.xto = state.custom.xTo;
    params.yfrom = state.custom.yFrom || undefined;
    params.yto = state.custom.yTo || undefined;
  }
  return params;
}

function oneOf<T extends string>(value: string | null, names: Record<T, string>, fallback: T): T {
  return value !== null && Object.hasOwn(names, value) ? (value as T) : fallback;
}

/** The state that `params` describe; anything missing or unreadable is the default. */
export function readProjectorParams(params: URLSearchParams, count: number, defaultMethod: Method): ProjectorUrlState {
  const k = Number(params.get("k"));
  const camera = params.get("cam")?.split(",").map(Number);
  const sel = params.get("sel");
  const xFrom = params.get("xfrom");
  const xTo = params.get("xto");
  return {
    method: oneOf(params.get("method"), METHOD_NAMES, defaultMethod),
    dim: params.get("dim") === "3" ? 3 : 2,
    colouring: oneOf(params.get("colour"), COLOURING_NAMES, "label"),
    query: params.get("q") ?? "",
    selection: sel === null ? undefined : decodeSelection(sel, count),
    k: (NEIGHBOUR_COUNTS as readonly number[]).includes(k) ? k : DEFAULT_K,
    camera: camera && camera.every(Number.isFinite) ? camera : undefined,
    custom:
      xFrom !== null && xTo !== null
        ? {xFrom, xTo, yFrom: params.get("yfrom") ?? "", yTo: params.get("yto") ?? ""}
        : undefined
  };
}
