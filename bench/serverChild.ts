/**
 * The static server in a child process, for bench/loadServer.ts: `tsx bench/serverChild.ts DIR`
 * serves DIR on a free loopback port, prints its URL, then its figures (open connections, file
 * descriptors, RSS, connections turned away) as one JSON line every 250 ms. In its own process so
 * that it does not share an event loop with the load generator.
 */
import {spawn} from "node:child_process";
import {readdirSync} from "node:fs";
import {pathToFileURL} from "node:url";

import {StaticServer} from "../src/node/server/staticServer.js";

/** The server child's highest figures while a scenario ran. */
export interface ServerPeak {
  connections: number;
  fds: number;
  rssMiB: number;
  /** Connections turned away and closed to make room (totals since the server started). */
  refused: number;
  evicted: number;
}

export interface Child {
  url: string;
  /** Resets the peak figures and returns the previous ones. */
  takePeak(): ServerPeak;
  stop(): void;
}

export const TSX = ["--import", "tsx"];

/** Starts the server in a child process (this file); it reports its figures every 250 ms. */
export async function serveInChild(dir: string): Promise<Child> {
  const child = spawn(process.execPath, [...TSX, new URL(import.meta.url).pathname, dir], {
    stdio: ["ignore", "pipe", "inherit"]
  });
  const none: ServerPeak = {connections: 0, fds: 0, rssMiB: 0, refused: 0, evicted: 0};
  let peak = none;
  const url = await new Promise<string>((resolve, reject) => {
    let out = "";
    child.stdout.setEncoding("utf8").on("data", (s: string) => {
      out += s;
      const lines = out.split("\n");
      out = lines.pop() ?? "";
      for (const line of lines) {
        if (line.startsWith("http://")) resolve(line.trim());
        if (!line.startsWith("{")) continue;
        const now = JSON.parse(line) as ServerPeak;
        peak = {
          connections: Math.max(peak.connections, now.connections),
          fds: Math.max(peak.fds, now.fds),
          rssMiB: Math.max(peak.rssMiB, now.rssMiB),
          refused: now.refused,
          evicted: now.evicted
        };
      }
    });
    child.once("exit", (code) => reject(new Error(`server exited with code ${code}`)));
  });
  return {
    url,
    takePeak() {
      const last = peak;
      peak = {...none, refused: last.refused, evicted: last.evicted};
      return last;
    },
    stop: () => child.kill("SIGTERM")
  };
}

/** The child: serves, prints its URL, then its figures every 250 ms. */
async function serveChild(dir: string): Promise<void> {
  const server = await StaticServer.start({root: dir, port: 0});
  process.stdout.write(server.url + "\n");
  const report = setInterval(() => {
    const figures: ServerPeak = {
      connections: server.connections,
      fds: readdirSync("/proc/self/fd").length,
      rssMiB: Math.round(process.memoryUsage.rss() / 2 ** 20),
      ...server.shed
    };
    process.stdout.write(JSON.stringify(figures) + "\n");
  }, 250);
  process.once("SIGTERM", () => {
    clearInterval(report);
    void server.close(100).then(() => process.exit(0));
  });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href && process.argv[2]) {
  serveChild(process.argv[2]).catch((error: unknown) => {
    process.stderr.write(`serverChild: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
