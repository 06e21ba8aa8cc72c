/**
 * Hash routes (`#/classify?test=42`): the app is static files, so the server never sees the route.
 * Each view keeps its state in its route's parameters, so Back, Forward, a reload and a pasted URL
 * all show the same thing: discrete changes add a history entry, continuous ones (the camera,
 * typing) replace the current one.
 */

export const VIEW_NAMES = ["classify", "projector", "dashboard", "model"] as const;
export type ViewName = (typeof VIEW_NAMES)[number];

export interface Route {
  view: ViewName;
  params: URLSearchParams;
}

export type RouteParams = Record<string, string | number | undefined>;

/** The hash the app shows now: set by main.ts when it renders, and by views when they write their state. */
let shownHash: string | undefined;

/** Reads a location hash; anything unknown is the Classify view. */
export function parseRoute(hash: string): Route {
  const body = hash.replace(/^#\/?/, "");
  const [path, query = ""] = body.split("?", 2);
  const view = (VIEW_NAMES as readonly string[]).includes(path) ? (path as ViewName) : "classify";
  return {view, params: new URLSearchParams(query)};
}

/** A parameter value, percent-encoded except for `,` and `:` (kept readable: `sel=3,10-12`, `cell=6,0`). */
function encodeValue(value: string): string {
  return encodeURIComponent(value).replace(/%2C/gi, ",").replace(/%3A/gi, ":");
}

/** The hash for a view and its parameters (undefined values are left out). */
export function routeHash(view: ViewName, params: RouteParams = {}): string {
  const query = Object.entries(params)
    .flatMap(([k, v]) => (v === undefined ? [] : [`${encodeURIComponent(k)}=${encodeValue(String(v))}`]))
    .join("&");
  return `#/${view}${query ? `?${query}` : ""}`;
}

/** Goes to a view (adds a history entry, so Back returns). */
export function navigate(view: ViewName, params: RouteParams = {}): void {
  location.hash = routeHash(view, params);
}

/** Records that the app now shows `location.hash` (main.ts, after it renders a route). */
export function markShown(): void {
  shownHash = location.hash;
}

/** Whether the location's hash is what the app already shows (a view wrote it): nothing to render. */
export function isShown(): boolean {
  return location.hash === shownHash;
}

/**
 * Writes a view's state into the URL without re-rendering: `push` adds a history entry (a
 * discrete change, so Back undoes it), `replace` rewrites the current one (the camera, typing).
 */
export function writeRoute(view: ViewName, params: RouteParams, mode: "push" | "replace"): void {
  const hash = routeHash(view, params);
  if (hash === location.hash) return;
  if (mode === "push") history.pushState(null, "", hash);
  else history.replaceState(history.state, "", hash);
  markShown();
}
