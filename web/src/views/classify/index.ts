/** Classify & explain view (to be built; see issue 6). */
import {h} from "../../ui/dom.js";
import type {ViewContext, Unmount} from "../view.js";

export const title = "Classify & explain";

export function mount(root: HTMLElement, _context: ViewContext): Unmount {
  root.append(h("h1", {}, title), h("p", {}, "Coming soon."));
  return () => {};
}
