/**
 * The method (PCA, t-SNE, UMAP, Custom) and dimension (2-D, 3-D) buttons; what the export lacks is
 * disabled. Custom stays enabled: until a custom projection exists it opens the form that makes one.
 */
import {h} from "../../ui/dom.js";
import {METHOD_NAMES, PRECOMPUTED, type Dim, type Method} from "./layouts.js";

export interface ViewSwitch {
  methods: HTMLElement;
  dims: HTMLElement;
  /** Marks the current choice and disables what `available` rules out. */
  refresh(method: Method, dim: Dim, available: (method: Method, dim: Dim) => boolean): void;
}

export function viewSwitch(choose: (method: Method | undefined, dim: Dim | undefined) => void): ViewSwitch {
  const methodButtons = new Map<Method, HTMLButtonElement>();
  const dimButtons = new Map<Dim, HTMLButtonElement>();
  const methods = h("div", {class: "button-group", role: "group", "aria-label": "Projection method"});
  for (const m of [...PRECOMPUTED, "custom"] as Method[]) {
    const b = h("button", {type: "button", "data-method": m, onclick: () => choose(m, undefined)}, METHOD_NAMES[m]);
    methodButtons.set(m, b);
    methods.append(b);
  }
  const dims = h("div", {class: "button-group", role: "group", "aria-label": "Dimensions"});
  for (const d of [2, 3] as Dim[]) {
    const b = h("button", {type: "button", "data-dim": d, onclick: () => choose(undefined, d)}, `${d}-D`);
    dimButtons.set(d, b);
    dims.append(b);
  }
  return {
    methods,
    dims,
    refresh(method, dim, available) {
      for (const [m, b] of methodButtons) {
        b.setAttribute("aria-pressed", String(m === method));
        if (m === "custom") {
          // 2-D only: choosing it from 3-D switches to 2-D.
          b.title = available(m, 2)
            ? "The custom projection (2-D)"
            : "No custom projection yet: opens the form below; choose two queries (e.g. Sneaker and Ankle boot) and press Project";
        } else {
          b.disabled = !available(m, dim);
        }
      }
      for (const [d, b] of dimButtons) {
        b.setAttribute("aria-pressed", String(d === dim));
        b.disabled = !available(method, d);
      }
    }
  };
}
