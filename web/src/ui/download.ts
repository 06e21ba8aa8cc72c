/** Saves text the page made as a file: a Blob behind a temporary object URL, so nothing is fetched or sent. */

/** Offers `text` as a download named `fileName`. */
export function downloadText(fileName: string, text: string, type = "text/csv"): void {
  const url = URL.createObjectURL(new Blob([text], {type: `${type};charset=utf-8`}));
  const link = document.createElement("a");
  link.href = url;
  link.download = fileName;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  // The download has started from the URL by the next task; free it a little later to be safe.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
