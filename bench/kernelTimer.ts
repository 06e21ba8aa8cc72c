/**
 * Per-kernel timing for the profile: every kernel registered for a backend is wrapped so that its
 * exclusive time (minus the kernels it runs itself, as our gradient kernels do) is added to a
 * bucket chosen by the caller from the kernel's name, the outermost kernel it runs inside, and
 * whatever context the caller tracks. WASM kernels are synchronous (XNNPACK's thread pool joins
 * before returning), so wall time around the call is the kernel's time.
 */
import * as tf from "@tensorflow/tfjs";

/** What the bucket function sees for one kernel call. */
export interface KernelCall {
  name: string;
  /** The outermost kernel on the stack (this one when not nested). */
  root: string;
  /** Shape of the first input. */
  shape: readonly number[];
}

interface Frame {
  childMs: number;
  name: string;
}

export class KernelTimer {
  private readonly stack: Frame[] = [];
  /** Milliseconds by bucket since the last {@link take}. */
  private totals = new Map<string, number>();

  constructor(private readonly bucket: (call: KernelCall) => string) {}

  /**
   * Wraps every kernel now registered for `backend`. Call after all custom kernels are registered
   * and before the backend is initialised, so setup functions run on the wrapped configs.
   */
  wrapBackend(backend: string): number {
    const configs = tf.getKernelsForBackend(backend);
    for (const config of configs) {
      const inner = config.kernelFunc;
      tf.unregisterKernel(config.kernelName, backend);
      tf.registerKernel({...config, kernelFunc: (args) => this.time(config.kernelName, args, () => inner(args))});
    }
    return configs.length;
  }

  private time<T>(name: string, args: {inputs: tf.NamedTensorInfoMap}, run: () => T): T {
    const first = Object.values(args.inputs)[0];
    const call: KernelCall = {name, root: this.stack[0]?.name ?? name, shape: first?.shape ?? []};
    const frame: Frame = {childMs: 0, name};
    this.stack.push(frame);
    const t0 = performance.now();
    try {
      return run();
    } finally {
      const ms = performance.now() - t0;
      this.stack.pop();
      const parent = this.stack.at(-1);
      if (parent) parent.childMs += ms;
      const key = this.bucket(call);
      this.totals.set(key, (this.totals.get(key) ?? 0) + ms - frame.childMs);
    }
  }

  /** Adds `ms` measured outside any kernel (data feeding, for example) to `key`. */
  add(key: string, ms: number): void {
    this.totals.set(key, (this.totals.get(key) ?? 0) + ms);
  }

  /** Returns and resets the totals. */
  take(): Map<string, number> {
    const totals = this.totals;
    this.totals = new Map();
    return totals;
  }
}
