/** Hash routes (`#/classify?test=42`): the app is static files, so the server never sees the route. */

export const VIEW_NAMES = ["classify", "projector", "dashboard", "model"] as const;
export type ViewName = (typeof VIEW_NAMES)[number];

export interface Route {
  view: ViewName;
  params: URLSearchParams;
}

/** Reads a location hash; anything unknown is the Classify view. */
export function parseRoute(hash: string): Route {
  const body = hash.replace(/^#\/?/, "");
  const [path, query = ""] = body.split("?", 2);
  const view = (VIEW_NAMES as readonly string[]).includes(path) ? (path as ViewName) : "classify";
  return {view, params: new URLSearchParams(query)};
}

/** The hash for a view and its parameters. */
export function routeHash(view: ViewName, params: Record<string, string | number> = {}): string {
  const query = new URLSearchParams(Object.entries(params).map(([k, v]) => [k, String(v)])).toString();
  return `#/${view}${query ? `?${query}` : ""}`;
}

/** Goes to a view (adds a history entry, so Back returns). */
export function navigate(view: ViewName, params: Record<string, string | number> = {}): void {
  location.hash = routeHash(view, params);
}
