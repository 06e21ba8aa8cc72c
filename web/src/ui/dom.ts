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

/**
 * A titled section of a view: `<section class="panel …" aria-labelledby="ID-heading">` whose first
 * child is `<h2 id="ID-heading">title</h2>`, then `children`.
 */
export function panel(id: string, title: string, attrs: Attrs, ...children: Child[]): HTMLElement {
  const className = ["panel", attrs.class].filter((c) => typeof c === "string" && c !== "").join(" ");
  const heading = `${id}-heading`;
  return h(
    "section",
    {...attrs, class: className, "aria-labelledby": heading},
    h("h2", {id: heading}, title),
    ...children
  );
}
