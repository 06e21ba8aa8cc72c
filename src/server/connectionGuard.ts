/**
 * Caps on open connections, in all and per client address, that make room for a new client rather
 * than turn it away: when a cap is reached, the connection that has wasted the server's time the
 * longest is closed, either one waiting for a request (a header trickled byte by byte, or an idle
 * keep-alive) or one whose response has not moved for {@link ConnectionCaps.stallMs} because its
 * client does not read. Connections being answered are never closed to make room; when nothing
 * can be closed the new connection is refused. A slow-header or never-reading attacker, even on
 * this machine's own address, thus holds only connections that the next client may take over.
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
  /** A response whose socket buffer has stayed full this long (ms) counts as stalled. */
  stallMs: number;
}

interface Connection {
  address: string;
  /** Requests received and not yet answered (several when pipelined). */
  inFlight: number;
  /** Since when it has been waiting for a request (opened, or its last response finished). */
  waitingSince: number;
  /** When its response last moved (a request began, or the socket drained). */
  movedAt: number;
}

export class ConnectionGuard {
  private readonly open = new Map<Socket, Connection>();
  private readonly perAddress = new Map<string, number>();

  constructor(private readonly caps: ConnectionCaps) {}

  /** Watches `server`'s connections and requests. */
  attach(server: Server): void {
    server.on("connection", (socket: Socket) => this.admit(socket));
    server.on("request", (req: IncomingMessage, res: ServerResponse) => this.started(req.socket, res));
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
      socket.destroy();
      return;
    }
    const now = Date.now();
    this.open.set(socket, {address, inFlight: 0, waitingSince: now, movedAt: now});
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
      let wasted: number;
      if (c.inFlight === 0) wasted = now - c.waitingSince;
      else if (socket.writableNeedDrain && now - c.movedAt >= this.caps.stallMs) wasted = now - c.movedAt;
      else continue;
      if (wasted > worst) {
        worst = wasted;
        victim = socket;
      }
    }
    if (!victim) return false;
    this.forget(victim);
    victim.destroy();
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
