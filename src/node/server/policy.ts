/**
 * What the static server tells browsers and which requests it answers at all: the security
 * headers of every response, the Host-header check against DNS rebinding (the same idea as Vite's
 * and webpack-dev-server's allowed hosts), and the conditional-request and encoding checks.
 */
import {isIP} from "node:net";

/**
 * The app's Content-Security-Policy: its own scripts only (plus compiling its WebAssembly),
 * inline styles (the SVG charts carry `style` attributes), images from data/blob URLs (the
 * charts' embedded PNGs, canvas exports), no plugins, no framing, no base-URL or form tricks.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "media-src 'self' blob: mediastream:",
  "worker-src 'self' blob:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'"
].join("; ");

/** Headers on every response. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  "Content-Security-Policy": CONTENT_SECURITY_POLICY,
  "X-Content-Type-Options": "nosniff",
  "Referrer-Policy": "no-referrer"
};

/** Headers of a CORS response (and preflight) for the files another site may read. */
export const CORS_HEADERS: Readonly<Record<string, string>> = {"Access-Control-Allow-Origin": "*"};
export const PREFLIGHT_HEADERS: Readonly<Record<string, string>> = {
  "Access-Control-Allow-Methods": "GET, HEAD, OPTIONS",
  "Access-Control-Allow-Headers": "*",
  "Access-Control-Max-Age": "86400",
  // Chrome's Private Network Access: a public page (projector.tensorflow.org) reading localhost.
  "Access-Control-Allow-Private-Network": "true"
};

/** True for addresses only this machine can reach: 127.0.0.0/8, ::1 and their IPv4-mapped forms. */
export function isLoopbackAddress(address: string): boolean {
  const plain = address.toLowerCase().replace(/^::ffff:/, "");
  if (isIP(plain) === 4) return plain.startsWith("127.");
  return isIP(plain) === 6 && /^(0{0,4}:){7}0{0,3}1$|^::1$/.test(plain);
}

/** The host name of a Host header (`name`, `name:port`, `[v6]:port`), lower-case, or undefined if malformed. */
export function hostName(header: string): string | undefined {
  const value = header.trim().toLowerCase();
  const match = /^(\[[0-9a-f:.]+\]|[a-z0-9._-]+)(?::\d{1,5})?$/.exec(value);
  return match?.[1];
}

/**
 * Whether a server bound to loopback should answer a request with this Host header: names that
 * always mean this machine (`localhost`, `*.localhost`), IP literals (a DNS-rebinding page always
 * sends its own domain name), and the names the server was started with. A request without a
 * Host header (HTTP/1.0) comes from no browser and is answered.
 */
export function hostAllowed(header: string | undefined, ownNames: ReadonlySet<string>): boolean {
  if (header === undefined) return true;
  const name = hostName(header);
  if (name === undefined) return false;
  if (name === "localhost" || name.endsWith(".localhost") || ownNames.has(name)) return true;
  return isIP(name) === 4 || (name.startsWith("[") && isIP(name.slice(1, -1)) === 6);
}

export function acceptsGzip(header: string | string[] | undefined): boolean {
  const value = Array.isArray(header) ? header.join(",") : (header ?? "");
  return value.split(",").some((part) => {
    const [coding, ...params] = part.trim().toLowerCase().split(";");
    if (coding !== "gzip" && coding !== "*") return false;
    const q = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
    return q === undefined || Number(q.slice(2)) > 0;
  });
}

/**
 * Whether the client's copy is current (RFC 9110 13.1): `If-None-Match` against the ETag when
 * sent, else `If-Modified-Since` against the modification time (whole seconds, as HTTP dates).
 */
export function notModified(
  headers: {"if-none-match"?: string; "if-modified-since"?: string},
  etag: string,
  modifiedMs: number | undefined
): boolean {
  const match = headers["if-none-match"];
  if (match !== undefined) {
    if (match.trim() === "*") return true;
    return match.split(",").some((t) => t.trim().replace(/^W\//, "") === etag);
  }
  const since = headers["if-modified-since"];
  if (since === undefined || modifiedMs === undefined) return false;
  const sinceMs = Date.parse(since);
  return Number.isFinite(sinceMs) && Math.floor(modifiedMs / 1000) * 1000 <= sinceMs;
}
