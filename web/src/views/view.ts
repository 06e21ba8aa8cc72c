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

export interface ViewModule {
  /** The view's title, for the document title and the heading. */
  title: string;
  mount(root: HTMLElement, context: ViewContext): Unmount | Promise<Unmount>;
}

export type ViewLoader = (route: Route) => Promise<ViewModule>;
