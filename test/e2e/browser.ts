/**
 * The browser side of the end-to-end tests: `fmnist serve` (library API) on a free port with the
 * built app, the test export and the shipped model, and Debian's Chromium driven by playwright-core.
 */
import {mkdirSync} from "node:fs";
import {join} from "node:path";

import {chromium, type Browser, type BrowserContext, type Page} from "playwright-core";
import {inject} from "vitest";

import {serveCommand} from "../../src/cli/commands/serve.js";
import type {StaticServer} from "../../src/node/server/staticServer.js";
import {quietEffects} from "../../src/core/effects.js";

export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
/** Screenshots land here (ignored by git); `npm run screenshots` copies them to docs/. */
export const ARTIFACTS = "test-artifacts/web";

export interface AppSession {
  browser: Browser;
  context: BrowserContext;
  page: Page;
  server: StaticServer;
  /** The app's address, e.g. http://127.0.0.1:41234/ */
  url: string;
  /** Console errors and uncaught page errors seen so far (a test can assert there are none). */
  errors: string[];
  close(): Promise<void>;
}

export interface OpenOptions {
  /** Extra Chromium flags (e.g. the fake webcam's). */
  args?: string[];
  /** Page query string, e.g. "?backend=wasm". */
  query?: string;
  /** Browser permissions to grant (e.g. ["camera"]). */
  permissions?: string[];
  /** Training run folder to serve at /runs/ (default: the shipped model's run). */
  run?: string;
}

/** Flags for a root, offline, headless Chromium (no sandbox as root; no background network). */
const BASE_ARGS = [
  "--no-sandbox",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--use-angle=swiftshader",
  "--enable-unsafe-swiftshader"
];

export async function openApp(options: OpenOptions = {}): Promise<AppSession> {
  const server = await serveCommand(
    {dir: inject("exportDir"), app: inject("appDir"), run: options.run, port: 0},
    quietEffects({log: {info: () => {}, warn: (m) => process.stderr.write(`serve: ${m}\n`)}})
  );
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [...BASE_ARGS, ...(options.args ?? [])]
  });
  const context = await browser.newContext({viewport: {width: 1280, height: 900}, permissions: options.permissions});
  const page = await context.newPage();
  const errors: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(m.text());
  });
  page.on("pageerror", (e) => errors.push(e.message));
  const url = `http://127.0.0.1:${server.port}/${options.query ?? ""}`;
  return {
    browser,
    context,
    page,
    server,
    url,
    errors,
    async close() {
      await browser.close();
      await server.close();
    }
  };
}

/** Saves a full-page screenshot as test-artifacts/web/<name>.png and returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS, {recursive: true});
  const path = join(ARTIFACTS, `${name}.png`);
  await page.screenshot({path, fullPage: true});
  return path;
}
