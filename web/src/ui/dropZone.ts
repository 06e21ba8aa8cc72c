/** A file chooser that also takes dropped files: a real file input inside a label (keyboard: Tab to it, Enter or Space). */
import {h} from "./dom.js";

export interface DropZoneOptions {
  id: string;
  accept: string;
  multiple?: boolean;
  title: string;
  hint: string;
  onFiles(files: File[]): void;
}

export function dropZone(options: DropZoneOptions): HTMLElement {
  const input = h("input", {
    type: "file",
    id: options.id,
    accept: options.accept,
    multiple: options.multiple,
    class: "visually-hidden"
  });
  input.addEventListener("change", () => {
    const files = Array.from(input.files ?? []);
    if (files.length > 0) options.onFiles(files);
    input.value = ""; // choosing the same file again still fires change
  });
  const zone = h(
    "label",
    {class: "drop-zone", for: options.id},
    input,
    h("strong", {}, options.title),
    h("span", {class: "muted"}, options.hint)
  );
  zone.addEventListener("dragover", (event) => {
    event.preventDefault();
    zone.classList.add("dragging");
  });
  zone.addEventListener("dragleave", () => zone.classList.remove("dragging"));
  zone.addEventListener("drop", (event) => {
    event.preventDefault();
    zone.classList.remove("dragging");
    const files = Array.from(event.dataTransfer?.files ?? []);
    if (files.length > 0) options.onFiles(options.multiple ? files : files.slice(0, 1));
  });
  return zone;
}
