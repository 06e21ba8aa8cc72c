/** The uploaded photo as it was chosen, small, beside the file chooser (the steps below show what the model gets). */
import {h} from "../../ui/dom.js";

/** The preview's largest width and height in CSS pixels. */
const MAX_WIDTH = 160;
const MAX_HEIGHT = 120;

export interface UploadPreview {
  element: HTMLCanvasElement;
  /** Draws the decoded photo (before the caller closes the bitmap). */
  show(bitmap: ImageBitmap, name: string): void;
  clear(): void;
}

export function uploadPreview(): UploadPreview {
  const canvas = h("canvas", {class: "upload-preview", "data-testid": "upload-preview", role: "img", hidden: true});
  return {
    element: canvas,
    show(bitmap, name) {
      const scale = Math.min(1, MAX_WIDTH / bitmap.width, MAX_HEIGHT / bitmap.height);
      // The drawing buffer at twice the CSS size stays sharp on high-density screens.
      const ratio = Math.min(2, window.devicePixelRatio || 1);
      canvas.width = Math.max(1, Math.round(bitmap.width * scale * ratio));
      canvas.height = Math.max(1, Math.round(bitmap.height * scale * ratio));
      canvas.style.width = `${Math.round(bitmap.width * scale)}px`;
      canvas.style.height = `${Math.round(bitmap.height * scale)}px`;
      const context = canvas.getContext("2d");
      if (context) {
        context.imageSmoothingQuality = "high";
        context.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
      }
      canvas.setAttribute("aria-label", `The uploaded photo, ${name}`);
      canvas.hidden = false;
    },
    clear() {
      canvas.hidden = true;
      canvas.removeAttribute("aria-label");
    }
  };
}
