/** The projector's hook for end-to-end tests, installed only when the page URL has `?testHooks`. */

export interface ProjectorTestHook {
  /** Point `i`'s position in CSS pixels of the page (for clicking it). */
  screenPosition(i: number): {x: number; y: number};
  /** Frames drawn so far. */
  renders(): number;
}

declare global {
  interface Window {
    __projector?: ProjectorTestHook;
  }
}

/** Whether the page was opened with `?testHooks`. */
export function testHooksWanted(): boolean {
  return new URLSearchParams(location.search).has("testHooks");
}
