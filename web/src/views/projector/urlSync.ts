/**
 * Keeps the URL in step with the projector: a discrete change (method, colouring, selection, …)
 * adds a history entry, a moving camera rewrites the current one once it rests, and a search adds
 * one entry however many keys it takes. A pending camera
 * write is made before the next click, tap or key press, so the entry that a link leaves behind
 * holds the view as it was (Back after "Explain" returns to it).
 */
import {isShown, writeRoute} from "../../router.js";
import type {Method} from "./layouts.js";
import type {ProjectorScene} from "./scene.js";
import {projectorParams, type ProjectorState} from "./urlState.js";

/** The camera is written this long after it last moved. */
const CAMERA_WRITE_MS = 300;

export interface UrlSync {
  /** Writes the state now: `push` for a discrete change, `replace` for a continuous one. */
  write(mode: "push" | "replace"): void;
  /** The search text changed: its first keystroke adds a history entry, the next ones rewrite it. */
  typed(): void;
  /** The camera moved: write it once it rests. */
  cameraMoved(): void;
  /** Writes a pending camera change now (before leaving the view). */
  flush(): void;
  stop(): void;
}

export function urlSync(state: ProjectorState, scene: ProjectorScene, defaultMethod: Method): UrlSync {
  let timer: ReturnType<typeof setTimeout> | undefined;
  /** The last entry written came from typing in the search box. */
  let typing = false;
  const params = () =>
    projectorParams(
      {
        ...state,
        // Only the query when the search made the selection; nothing when there is neither.
        selection: state.fromSearch || (state.selection.length === 0 && !state.query) ? undefined : state.selection,
        camera: scene.cameraState(),
        custom: state.custom?.queries
      },
      defaultMethod
    );
  const write = (mode: "push" | "replace") => {
    clearTimeout(timer);
    timer = undefined;
    if (mode === "push") typing = false;
    // After Back or a link the location belongs to the next route until it is shown: leave it alone.
    if (isShown()) writeRoute("projector", params(), mode);
  };
  const flush = () => {
    if (timer !== undefined) write("replace");
  };
  const onKey = (event: KeyboardEvent) => {
    if (event.key === "Enter" || event.key === " ") flush();
  };
  document.addEventListener("pointerdown", flush, true);
  document.addEventListener("click", flush, true);
  document.addEventListener("keydown", onKey, true);
  window.addEventListener("pagehide", flush);
  return {
    write,
    typed() {
      write(typing ? "replace" : "push");
      typing = true;
    },
    cameraMoved() {
      clearTimeout(timer);
      timer = setTimeout(() => write("replace"), CAMERA_WRITE_MS);
    },
    flush,
    stop() {
      clearTimeout(timer);
      document.removeEventListener("pointerdown", flush, true);
      document.removeEventListener("click", flush, true);
      document.removeEventListener("keydown", onKey, true);
      window.removeEventListener("pagehide", flush);
    }
  };
}
