/** Choose or drop an image file. */
import {dropZone} from "../../../ui/dropZone.js";

export function fileSource(onFile: (file: File) => void): HTMLElement {
  return dropZone({
    id: "file-input",
    accept: "image/*",
    title: "Choose an image",
    hint: "or drop one here (PNG, JPEG, WebP, GIF…)",
    onFiles: ([file]) => onFile(file)
  });
}
