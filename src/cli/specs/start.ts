import {command} from "../command.js";
import {dataFlags, dataOptions, progressFlags} from "../commonFlags.js";
import {flag, pickValues} from "../flags.js";
import {portFlag, serveUntilStopped} from "./serve.js";

export const start = command({
  summary: "export the shipped model's embeddings if not done yet, then serve the web app (npm start)",
  stopMessage: "stopping (Ctrl-C again to abort now)…",
  flags: {
    dir: flag.string("DIR", "export folder, made on first start (default projector)"),
    count: flag.int("N", "test images in that export (default 10000); an existing export is kept as it is", {min: 16}),
    port: portFlag,
    host: flag.string("HOST", "interface to bind (default 127.0.0.1, this machine only)"),
    ...progressFlags,
    ...dataFlags
  },
  async run(values, _positionals, effects) {
    const {startCommand} = await import("../commands/start.js");
    const server = await startCommand(
      {...pickValues(values, ["dir", "port", "host", "count"]), ...dataOptions(values)},
      effects
    );
    return serveUntilStopped(server, effects);
  }
});
