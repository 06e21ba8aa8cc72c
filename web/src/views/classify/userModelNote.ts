/** The line that says Classify runs the user's own model (brought in the Model view), with a way back there. */
import {h} from "../../ui/dom.js";

export function userModelNote(file: string): HTMLElement {
  return h(
    "p",
    {class: "muted user-model-note", "data-testid": "user-model-note"},
    `Running your model, ${file}. `,
    h("a", {href: "#/model"}, "Change it in the Model view.")
  );
}
