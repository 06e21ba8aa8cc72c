import {PREPROCESS_NAMES} from "../../core/image/preprocess.js";
import {command} from "../command.js";
import {anyModelFlag, backendFlags} from "../commonFlags.js";
import {flag} from "../flags.js";
import {formatClassifyError, formatClassifyResult} from "../format/classify.js";

export const classify = command({
  summary: "classify photos; with --save-plots, show every layer's activations, CAM, Grad-CAM and the attribution lab",
  positionals: "IMAGE...",
  flags: {
    ...anyModelFlag,
    savePlots: flag.switch(
      "write the pictures and report.html (input steps, feature maps, CAM, Grad-CAM, attribution lab with faithfulness curves)"
    ),
    plotDir: flag.string(
      "DIR",
      "folder for the pictures (default visualisations/; one sub-folder per image when several)"
    ),
    preprocess: flag.choice(
      PREPROCESS_NAMES,
      "fashion (default: trim, resize, sharpen, pad, negate, like Fashion-MNIST) or plain (grey + resize)"
    ),
    json: flag.switch("print one JSON object per image per line: file, label, score, probabilities, ood, oodReason"),
    top: flag.int("K", "print the K most likely classes (default 1)"),
    camLayer: flag.string("NAME", "convolution layer for Grad-CAM (default: the last one)"),
    camClass: flag.string(
      "NAME",
      "class explained by CAM, Grad-CAM and the attribution lab (default: the predicted one)"
    ),
    noTta: flag.switch("show the raw network: no averaging with the mirror image (test-time augmentation)"),
    counterfactual: flag.string(
      "CLASS",
      'with the plots, also find a small change that makes the network say CLASS ("what would make this a Bag?"): counterfactual.png'
    ),
    epsilon: flag.positive("E", "largest change of any pixel for --counterfactual, brightness 0-1 (default 0.1)", 1),
    ...backendFlags
  },
  async run(values, images, effects) {
    // Imported after the flags are checked: it loads TF.js, which takes a second or more.
    const {classifyCommand} = await import("../commands/classify.js");
    const {failed} = await classifyCommand(
      {
        images,
        model: values.model,
        savePlots: values.savePlots === true || values.counterfactual !== undefined,
        plotDir: values.plotDir,
        preprocess: values.preprocess,
        top: values.top ?? 1,
        camLayer: values.camLayer,
        camClass: values.camClass,
        tta: values.noTta !== true,
        counterfactual: values.counterfactual,
        epsilon: values.epsilon,
        backend: values.backend
      },
      {
        ...effects,
        onResult: (r) => process.stdout.write((values.json ? JSON.stringify(r) : formatClassifyResult(r)) + "\n"),
        onError: (file, error) => process.stderr.write(formatClassifyError(file, error) + "\n")
      }
    );
    return failed > 0 ? 1 : 0;
  }
});
