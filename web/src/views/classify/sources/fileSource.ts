/** Choose or drop an image file: a real file input inside a drop zone (keyboard: Tab to it, Enter or Space). */
import {h} from "../../../ui/dom.js";

export function fileSource(onFile: (file: File) => void): HTMLElement {
  const input = h("input", {
    type: "file",
    id: "file-input",
    accept: "image/*",
    class: "visually-hidden"
  });
  input.addEventListener("change", () => {
    const file = input.files?.[0];
    if (file) onFile(file);
    input.value = ""; // choosing the same file again still fires change
  });
  const zone = h(
    "label",
    {class: "drop-zone", for: "file-input"},
    input,
    h("strong", {}, "Choose an image"),
    h("span", {class: "muted"}, "or drop one here (PNG, JPEG, WebP, GIF…)")
  );
  zone.addEventListener("dragover", (event) => {
    event.preventDefault();
    zone.classList.add("dragging");
  });
  zone.addEventListener("dragleave", () => zone.classList.remove("dragging"));
  zone.addEventListener("drop", (event) => {
    event.preventDefault();
    zone.classList.remove("dragging");
    const file = event.dataTransfer?.files[0];
    if (file) onFile(file);
  });
  return zone;
}
