/** A tiny typed element builder: the views are small enough not to need a framework. */

// `on*` keys take listeners; `never` lets a listener declare the event type it expects (MouseEvent, …).
type Attrs = Record<string, string | number | boolean | undefined | ((event: never) => unknown)>;
type Child = Node | string | null | undefined | false;

/** `h("button", {class: "x", onclick: f}, "Go")`: attributes, `on*` listeners and children in one call. */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === false) continue;
    if (name.startsWith("on") && typeof value === "function") {
      el.addEventListener(name.slice(2), value as EventListener);
    } else {
      el.setAttribute(name, value === true ? "" : String(value));
    }
  }
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child);
  }
  return el;
}

/** An SVG string from our chart code (src/viz) as a node, with its text alternative. */
export function svgFigure(svg: string, alt: string): HTMLElement {
  const figure = h("figure", {class: "chart", role: "img", "aria-label": alt});
  figure.innerHTML = svg;
  return figure;
}

/** A message box for errors the user can act on. */
export function errorBox(message: string): HTMLElement {
  return h("div", {class: "error", role: "alert"}, message);
}
