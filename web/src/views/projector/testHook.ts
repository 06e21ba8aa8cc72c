/** The projector's hook for end-to-end tests, installed only when the page URL has `?testHooks`. */
import type {ProjectorScene} from "./scene.js";

export interface ProjectorTestHook {
  /** Point `i`'s position in CSS pixels of the page (for clicking it). */
  screenPosition(i: number): {x: number; y: number};
  /** Frames drawn so far. */
  renders(): number;
  /** The view as the URL keeps it (undefined: the reset view). */
  camera(): number[] | undefined;
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

/** Installs the hook on `scene`; returns its removal. */
export function installTestHook(scene: ProjectorScene): () => void {
  window.__projector = {
    screenPosition: (i) => {
      const rect = scene.canvas.getBoundingClientRect();
      const p = scene.screenPosition(i);
      return {x: rect.left + p.x, y: rect.top + p.y};
    },
    renders: () => scene.renders,
    camera: () => scene.cameraState()
  };
  return () => {
    delete window.__projector;
  };
}
