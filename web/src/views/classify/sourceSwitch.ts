/** The row of source buttons (image file, draw, webcam) that shows one source's panel at a time. */
import {h} from "../../ui/dom.js";
import {SOURCE_NAMES, type SourceName} from "./urlState.js";

const LABELS: Record<SourceName, string> = {file: "Image file", draw: "Draw", webcam: "Webcam"};

export interface SourceSwitch {
  element: HTMLElement;
  /** Shows `name`'s panel (and calls `onShow`), as a click does, without `onClick`. */
  choose(name: SourceName): void;
  current(): SourceName;
}

/**
 * `onShow(name)` runs whenever a source is shown (by a click or by {@link SourceSwitch.choose});
 * `onClick(name)` only when the user picks another source.
 */
export function sourceSwitch(
  panels: Record<SourceName, HTMLElement>,
  onShow: (name: SourceName) => void,
  onClick: (name: SourceName) => void
): SourceSwitch {
  let source: SourceName = "file";
  const buttons = SOURCE_NAMES.map((name) => {
    const button = h(
      "button",
      {type: "button", "data-source": name, "aria-pressed": String(name === "file")},
      LABELS[name]
    );
    button.addEventListener("click", () => {
      if (name === source) return;
      choose(name);
      onClick(name);
    });
    return button;
  });
  const choose = (name: SourceName) => {
    source = name;
    for (const button of buttons) button.setAttribute("aria-pressed", String(button.dataset.source === name));
    for (const [key, panel] of Object.entries(panels)) panel.hidden = key !== name;
    onShow(name);
  };
  return {
    element: h("div", {class: "source-switch", role: "group", "aria-label": "Input source"}, ...buttons),
    choose,
    current: () => source
  };
}
