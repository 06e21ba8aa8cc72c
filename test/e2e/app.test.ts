/** The app shell: it loads from `fmnist serve`, starts TF.js, and every view's link works by keyboard. */
import {afterAll, beforeAll, describe, expect, it} from "vitest";

import {openApp, type AppSession} from "./browser.js";

let app: AppSession;
beforeAll(async () => {
  app = await openApp();
});
afterAll(async () => app?.close());

describe("web app shell", () => {
  it("starts TF.js and names its backend", async () => {
    await app.page.goto(app.url);
    await app.page.waitForSelector("body[data-backend]");
    const backend = await app.page.getAttribute("body", "data-backend");
    expect(["webgl", "wasm", "cpu"]).toContain(backend);
    expect(await app.page.textContent("#backend-status")).toBe(`TF.js ${backend}`);
  });

  it("reaches each view from the navigation with the keyboard", async () => {
    await app.page.goto(app.url);
    for (const [view, title] of [
      ["projector", "Embedding projector"],
      ["dashboard", "Training dashboard"],
      ["model", "Model"],
      ["classify", "Classify & explain"]
    ]) {
      await app.page.focus(`nav a[data-view="${view}"]`);
      await app.page.keyboard.press("Enter");
      await app.page.waitForFunction((v) => document.getElementById("view")?.dataset.view === v, view);
      expect(await app.page.title()).toBe(`${title} · fmnist-vis`);
      expect(await app.page.getAttribute(`nav a[data-view="${view}"]`, "aria-current")).toBe("page");
    }
    expect(app.errors).toEqual([]);
  });
});
