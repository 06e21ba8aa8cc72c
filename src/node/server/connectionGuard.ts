/**
 * Caps on open connections, in all and per client address, that make room for a new client rather
 * than turn it away. When a cap is reached, the connection that has wasted the server's time the
 * longest is reset: a new one that has not sent a whole request within {@link ConnectionCaps.waitMs}
 * (headers trickled line by line), an idle keep-alive, or one whose response has not moved for
 * {@link ConnectionCaps.stallMs} because its client does not read (both after `stallMs`). The oldest
 * goes first, so a newcomer is not the one pushed out before its request arrives. Connections being
 * answered, and busy keep-alive clients between two requests, are never closed to make room; when
 * nothing can be closed the new connection is refused. A slow-header or never-reading attacker, even
 * on this machine's own address, thus holds only connections that the next client may take over.
 *
 * Written here because Node's `server.maxConnections` only refuses new connections, which is what
 * let such attackers lock everyone else out, and no maintained library does this for node:http.
 */
import type {IncomingMessage, Server, ServerResponse} from "node:http";
import type {Socket} from "node:net";

export interface ConnectionCaps {
  /** Open connections in all. */
  total: number;
  /** Open connections per client address. */
  perAddress: number;
  /** A new connection that has not sent a whole request after this long (ms) may be closed to make room. */
  waitMs: number;
  /** An idle keep-alive, or a response whose socket buffer has stayed full, this long (ms) may be closed to make room. */
  stallMs: number;
}

interface Connection {
  address: string;
  /** Requests received and not yet answered (several when pipelined). */
  inFlight: number;
  /** Whether it has been answered before (an idle keep-alive rather than a new or slow-header connection). */
  answered: boolean;
  /** Since when it has been waiting for a request (opened, or its last response finished). */
  waitingSince: number;
  /** When its response last moved (a request began, or the socket drained). */
  movedAt: number;
}

export class ConnectionGuard {
  private readonly open = new Map<Socket, Connection>();
  private readonly perAddress = new Map<string, number>();
  /** Connections turned away, and closed to make room, since the start (for the bench). */
  readonly counts = {refused: 0, evicted: 0};

  constructor(private readonly caps: ConnectionCaps) {}

  /** Watches `server`'s connections and requests. */
  attach(server: Server): void {
    server.on("connection", (socket: Socket) => this.admit(socket));
    server.on("request", (req: IncomingMessage, res: ServerResponse) => this.started(req.socket, res));
    // Idle timeout (server.timeout, or keepAliveTimeout between requests): no bytes moved either way.
    // A client that stopped reading is reset (freeing what the kernel holds for it); an idle one closed.
    server.on("timeout", (socket: Socket) => {
      if (socket.writableLength > 0) socket.resetAndDestroy();
      else socket.destroy();
    });
  }

  /** Connections open now (for tests and the bench). */
  get size(): number {
    return this.open.size;
  }

  private admit(socket: Socket): void {
    const address = socket.remoteAddress;
    if (address === undefined || socket.destroyed) {
      socket.destroy();
      return;
    }
    const room =
      ((this.perAddress.get(address) ?? 0) < this.caps.perAddress || this.evict(address)) &&
      (this.open.size < this.caps.total || this.evict(undefined));
    if (!room) {
      this.counts.refused++;
      socket.destroy();
      return;
    }
    const now = Date.now();
    this.open.set(socket, {address, inFlight: 0, answered: false, waitingSince: now, movedAt: now});
    this.perAddress.set(address, (this.perAddress.get(address) ?? 0) + 1);
    socket.on("drain", () => {
      const c = this.open.get(socket);
      if (c) c.movedAt = Date.now();
    });
    socket.once("close", () => this.forget(socket));
  }

  private started(socket: Socket, res: ServerResponse): void {
    const c = this.open.get(socket);
    if (!c) return;
    if (c.inFlight++ === 0) c.movedAt = Date.now();
    res.once("close", () => {
      c.answered = true;
      if (--c.inFlight === 0) c.waitingSince = Date.now();
    });
  }

  /** Closes the connection (of `address`, or any) that has wasted the most time; false if none may be closed. */
  private evict(address: string | undefined): boolean {
    const now = Date.now();
    let victim: Socket | undefined;
    let worst = -1;
    for (const [socket, c] of this.open) {
      if (address !== undefined && c.address !== address) continue;
      const waiting = c.inFlight === 0;
      const wasted = waiting ? now - c.waitingSince : socket.writableNeedDrain ? now - c.movedAt : -1;
      // A new connection must send its request within waitMs; a client already served (between two
      // requests, or an idle keep-alive) and a stalled response get stallMs.
      if (wasted < (waiting && !c.answered ? this.caps.waitMs : this.caps.stallMs)) continue;
      if (wasted > worst) {
        worst = wasted;
        victim = socket;
      }
    }
    if (!victim) return false;
    this.forget(victim);
    this.counts.evicted++;
    // A reset, not a close: the kernel then drops the megabytes queued for a client that does not read.
    victim.resetAndDestroy();
    return true;
  }

  private forget(socket: Socket): void {
    const c = this.open.get(socket);
    if (!c) return;
    this.open.delete(socket);
    const left = (this.perAddress.get(c.address) ?? 1) - 1;
    if (left > 0) this.perAddress.set(c.address, left);
    else this.perAddress.delete(c.address);
  }
}
