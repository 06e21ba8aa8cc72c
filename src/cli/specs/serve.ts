import type {Effects} from "../../core/effects.js";
import {command} from "../command.js";
import {flag, pickValues} from "../flags.js";

export const portFlag = flag.int("N", "TCP port (default 8000; 0 picks a free one)", {min: 0, max: 65535});

/** Resolves once the signal is aborted (Ctrl-C or SIGTERM), after the server has closed. */
export async function serveUntilStopped(server: {close(): Promise<void>}, effects: Effects): Promise<number> {
  if (!effects.signal.aborted) await new Promise((resolve) => effects.signal.addEventListener("abort", resolve));
  await server.close();
  return 0;
}

export const serve = command({
  summary: "serve the web app, an export folder (also for the TensorBoard Projector), a run and the model",
  stopMessage: "stopping the server…",
  flags: {
    dir: flag.string("DIR", "export folder, served at /projector/ (default projector)"),
    run: flag.string("DIR", "training run folder, served at /runs/ (default: the shipped model's run)"),
    model: flag.string("DIR", "TF.js model folder, served at /model/ (default: the shipped model)"),
    app: flag.string("DIR", "built web app, served at / (default: the package's dist/web, made by npm run build)"),
    port: portFlag,
    host: flag.string("HOST", "interface to bind (default 127.0.0.1, this machine only; 0.0.0.0 serves the network)")
  },
  async run(values, _positionals, effects) {
    const {serveCommand} = await import("../commands/serve.js");
    const server = await serveCommand(pickValues(values, ["dir", "run", "model", "app", "port", "host"]), effects);
    return serveUntilStopped(server, effects);
  }
});
