/** Names and one-sentence plain explanations of the attribution methods, as the lab shows them. */
import type {AttributionMethod} from "./types.js";

export interface MethodInfo {
  title: string;
  explanation: string;
}

export const METHOD_INFO: Record<AttributionMethod, MethodInfo> = {
  gradient: {
    title: "Input gradient",
    explanation:
      "How much the class score would change if each pixel were a little brighter or darker, at this exact image: sharp, but noisy."
  },
  smoothgrad: {
    title: "SmoothGrad",
    explanation:
      "The input gradient averaged over 25 noisy copies of the image, so only the pixels that matter consistently stay bright."
  },
  "integrated-gradients": {
    title: "Integrated Gradients",
    explanation:
      "Each pixel's share of the class score, collected while the image fades in from black; the shares add up to the score's rise (checked below)."
  },
  occlusion: {
    title: "Occlusion",
    explanation:
      "How much the class probability drops when a 4x4 black square hides the pixel, averaged over the squares that cover it."
  },
  "score-cam": {
    title: "Score-CAM",
    explanation:
      "Each feature map of the last convolution lights up part of the image; the map is weighted by how much that part alone raises the class probability."
  },
  cam: {
    title: "CAM",
    explanation:
      "The last feature maps weighted by the final layer's weights for the class: where the evidence the classifier adds up lies."
  },
  "grad-cam": {
    title: "Grad-CAM",
    explanation:
      "The last feature maps weighted by how much the class score rises with each of them (their mean gradient), keeping positive evidence only."
  }
};

/** The explanation of a contrastive Grad-CAM map of `a` against `b`. */
export function contrastExplanation(a: string, b: string): string {
  return `Grad-CAM of the score of ${a} minus the score of ${b}: where the image looks more like ${a} than like ${b}.`;
}
