/**
 * The hostile clients of issue 14 (items 6, 7 and the pipelining flood of 10), kept up against a
 * server until stopped, each reconnecting when dropped: clients that send a request for a large
 * file and hang up at once, clients that trickle header lines (slowloris), clients that request a
 * large file and never read it, and connections that pipeline 20,000 requests. Used by
 * bench/loadServer.ts in a child process (`--attack`), so that they do not share an event loop
 * with the well-behaved client being measured.
 *
 *   node --import tsx bench/abusiveClients.ts --port P [--from 127.0.0.1] [--slow 600] [--stalled 520]
 *        [--hangups 20] [--pipelined 1] [--small /config.json] [--large /raw_tensors.bytes]
 *
 * Prints "attacking" once started, and one JSON line of counts when it gets SIGTERM.
 */
import {connect, type Socket} from "node:net";
import {pathToFileURL} from "node:url";
import {parseArgs} from "node:util";

export interface AttackOptions {
  port: number;
  /** Local address to attack from (127.0.0.1: the same address as the measured client). */
  from: string;
  slow: number;
  stalled: number;
  hangups: number;
  pipelined: number;
  /** A small file, for the slow-header and pipelining clients. */
  small: string;
  /** A large file (larger than a socket's kernel buffers, ~4 MiB) for the never-reading clients. */
  large: string;
}

export interface AttackCounts {
  /** Connections opened by all attackers. */
  connections: number;
  /** Requests sent and hung up on before any answer. */
  hangups: number;
  /** Responses (any status) received by the pipelining connections. */
  pipelinedResponses: number;
}

const request = (path: string) => `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`;

export function startAttack(options: AttackOptions): {stop(): AttackCounts} {
  const counts: AttackCounts = {connections: 0, hangups: 0, pipelinedResponses: 0};
  const sockets = new Set<Socket>();
  let stopped = false;

  /**
   * Opens a connection; `again` runs (unless stopped) `delayMs` after it ends, to start the next.
   * Hang-ups come back at once; the others a second after being dropped, as in the reported attack.
   */
  function open(onConnect: (s: Socket) => void, again: () => void, delayMs = 1000): Socket {
    const socket = connect({port: options.port, host: "127.0.0.1", localAddress: options.from});
    counts.connections++;
    sockets.add(socket);
    socket.on("error", () => undefined);
    socket.once("connect", () => onConnect(socket));
    socket.once("close", () => {
      sockets.delete(socket);
      if (!stopped) setTimeout(again, delayMs);
    });
    return socket;
  }

  const slowloris = (): void => {
    let timer: NodeJS.Timeout | undefined;
    const socket = open((s) => {
      s.write(`GET ${options.small} HTTP/1.1\r\nHost: 127.0.0.1\r\n`);
      let n = 0;
      timer = setInterval(() => s.write(`X-Slow-${n++}: 1\r\n`), 1000);
    }, slowloris);
    socket.once("close", () => clearInterval(timer));
  };

  const neverReader = (): void => {
    // A paused socket does not notice being dropped, so it starts over every 5 s.
    let timer: NodeJS.Timeout | undefined;
    const socket = open((s) => {
      s.pause();
      s.write(request(options.large));
      timer = setTimeout(() => s.destroy(), 5000);
    }, neverReader);
    socket.once("close", () => clearTimeout(timer));
  };

  const hangUp = (): void => {
    open(
      (s) => {
        s.end(request(options.large));
        s.destroy();
        counts.hangups++;
      },
      hangUp,
      1
    );
  };

  const pipeliner = (): void => {
    const socket = open((s) => s.write(request(options.small).repeat(20_000)), pipeliner);
    let tail = "";
    socket.on("data", (chunk: Buffer) => {
      const text = tail + chunk.toString("latin1");
      counts.pipelinedResponses += text.split("HTTP/1.1 ").length - 1;
      tail = text.slice(-8);
    });
  };

  for (let i = 0; i < options.slow; i++) slowloris();
  for (let i = 0; i < options.stalled; i++) neverReader();
  for (let i = 0; i < options.hangups; i++) hangUp();
  for (let i = 0; i < options.pipelined; i++) pipeliner();
  return {
    stop() {
      stopped = true;
      for (const s of sockets) s.destroy();
      return counts;
    }
  };
}

function main(argv: string[]): void {
  const {values} = parseArgs({
    args: argv,
    options: {
      port: {type: "string"},
      from: {type: "string", default: "127.0.0.1"},
      slow: {type: "string", default: "600"},
      stalled: {type: "string", default: "520"},
      hangups: {type: "string", default: "20"},
      pipelined: {type: "string", default: "1"},
      small: {type: "string", default: "/config.json"},
      large: {type: "string", default: "/raw_tensors.bytes"}
    }
  });
  const attack = startAttack({
    port: Number(values.port),
    from: values.from,
    slow: Number(values.slow),
    stalled: Number(values.stalled),
    hangups: Number(values.hangups),
    pipelined: Number(values.pipelined),
    small: values.small,
    large: values.large
  });
  process.once("SIGTERM", () => {
    process.stdout.write(JSON.stringify(attack.stop()) + "\n", () => process.exit(0));
  });
  process.stdout.write("attacking\n");
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main(process.argv.slice(2));
