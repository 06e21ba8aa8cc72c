/** What every view module exports: `mount` draws into the main element and returns its clean-up. */
import type {Route} from "../router.js";

export interface ViewContext {
  /** The route's query parameters (e.g. `test=42` for Classify). */
  params: URLSearchParams;
  /** Set when the user navigates away; long work checks it and stops. */
  signal: AbortSignal;
}

/** Called when the view is left: stop timers, workers, webcam streams, and dispose tensors. */
export type Unmount = () => void;

/** A mounted view that can show other parameters of its route in place (Back and Forward within the view). */
export interface MountedView {
  unmount: Unmount;
  /** Shows `params` without mounting again; false: they need a fresh mount (e.g. another test image). */
  update(params: URLSearchParams): boolean;
}

export type Mounted = Unmount | MountedView;

export interface ViewModule {
  /** The view's title, for the document title and the heading. */
  title: string;
  mount(root: HTMLElement, context: ViewContext): Mounted | Promise<Mounted>;
}

export type ViewLoader = (route: Route) => Promise<ViewModule>;

/** The event main.ts mounts the current view afresh on (after the model in use changed, say). */
export const REMOUNT_EVENT = "fmnist:remount";

/** Mounts the current view afresh: unlike a hash change, never handled in place by `update`. */
export function remountView(): void {
  window.dispatchEvent(new Event(REMOUNT_EVENT));
}
