/** Flags shared by several commands, declared once. */
import {BACKEND_NAMES, type BackendName} from "../node/backend/backendName.js";
import {flag, type FlagValues} from "./flags.js";

export const backendFlags = {
  backend: flag.choice(
    BACKEND_NAMES,
    "compute backend: node (if @tensorflow/tfjs-node is installed), wasm (default otherwise), cpu"
  )
};

export const dataFlags = {
  dataDir: flag.string(
    "DIR",
    "folder with the Fashion-MNIST *-ubyte(.gz) files (default: $FASHION_MNIST_DIR, then Debian's package)"
  ),
  noVerify: flag.switch("do not check the dataset files' SHA-256 (for a modified copy of Fashion-MNIST)")
};

export const progressFlags = {
  noProgress: flag.switch("plain progress lines instead of bars (the default when stderr is not a terminal)")
};

/** `--model` of the commands that read any model. */
export const anyModelFlag = {
  model: flag.string("PATH", "model folder, model.json or Keras .h5 file (default: the shipped models/fashion-cnn)")
};

/** The flags of the commands that load the dataset and run the model for a while. */
export const jobFlags = {...progressFlags, ...backendFlags, ...dataFlags};

/** What the data flags ask for, as command options. */
export function dataOptions(values: FlagValues<typeof dataFlags>): {dataDir?: string; verify?: boolean} {
  return {dataDir: values.dataDir, verify: values.noVerify ? false : undefined};
}

/** What the job flags ask for, as command options: the data folder, the checksum check and the backend. */
export function jobOptions(values: FlagValues<typeof jobFlags>): {
  dataDir?: string;
  verify?: boolean;
  backend?: BackendName;
} {
  return {...dataOptions(values), backend: values.backend};
}
