/**
 * "Your own model": drop a Keras .h5 or a TF.js model.json with its weights, and every view that
 * runs the model (Classify, Model) runs it instead of the served one, until "Back to the shipped
 * model". Nothing leaves the browser: the files are read in the page.
 */
import {useServedModel, useUserModel} from "../../data/model.js";
import {modelFromFiles} from "../../data/userModel.js";
import {h, panel} from "../../ui/dom.js";
import {dropZone} from "../../ui/dropZone.js";

/** `current`: the file of the model in use when it is the user's. `changed` re-renders the app's views. */
export function userModelPanel(current: string | undefined, changed: () => void): HTMLElement {
  const status = h("p", {class: "muted small", role: "status", "data-testid": "user-model-status"});
  const error = h("p", {class: "error", role: "alert", "data-testid": "user-model-error", hidden: true});
  const back = h(
    "button",
    {type: "button", hidden: current === undefined, "data-testid": "served-model"},
    "Back to the shipped model"
  );
  back.addEventListener("click", () => {
    useServedModel();
    changed();
  });
  status.textContent = current
    ? `Every view now runs your model, ${current}. The projector and the training dashboard still show the export and the training run of the shipped model.`
    : "The views run the shipped model.";
  let busy = false;
  const zone = dropZone({
    id: "model-file-input",
    accept: ".h5,.hdf5,.keras,.json,.bin",
    multiple: true,
    title: "Bring your own model",
    hint: "Choose or drop a Keras .h5 file, or a TF.js model.json together with its .bin weight files. It is read here, in the browser; nothing is uploaded.",
    onFiles(files) {
      if (busy) return;
      busy = true;
      error.hidden = true;
      status.textContent = `Reading ${files.map((f) => f.name).join(", ")}…`;
      modelFromFiles(files)
        .then(({model, name, ood}) => {
          useUserModel(model, name, ood);
          changed();
        })
        .catch((reason: unknown) => {
          error.textContent = reason instanceof Error ? reason.message : String(reason);
          error.hidden = false;
          status.textContent = current ? `Still running your model, ${current}.` : "The views run the shipped model.";
        })
        .finally(() => (busy = false));
    }
  });
  return panel("user-model", "Your own model", {class: "user-model"}, zone, status, error, back);
}
