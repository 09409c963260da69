import { AddressInfo, Server, Socket, connect, createServer } from 'node:net';

/**
 * A TCP forwarder put between an app and a server that other tests share, so a test can take the
 * server away from that one app (cut) and give it back (restore) without stopping it for everyone.
 */
export class TcpProxy {
  private readonly sockets = new Set<Socket>();
  private readonly stalled = new Set<Socket>();
  private isCut = false;
  private isStalled = false;

  private constructor(
    private readonly server: Server,
    private readonly target: { host: string; port: number },
  ) {
    server.on('connection', (client) => this.accept(client));
  }

  static async start(target: { host: string; port: number }): Promise<TcpProxy> {
    const server = createServer();
    const proxy = new TcpProxy(server, target);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', resolve);
    });
    return proxy;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  /** Connections currently forwarded (client side and server side each count). */
  get openSockets(): number {
    return this.sockets.size;
  }

  /**
   * Resets every open connection, as a crashed server or a broken network would, and fails new ones
   * at once. They are accepted and reset rather than refused by closing the listener, so that the port
   * stays ours for restore().
   */
  cut(): void {
    this.isCut = true;
    for (const socket of this.sockets) socket.resetAndDestroy();
    this.sockets.clear();
  }

  restore(): void {
    this.isCut = false;
    this.isStalled = false;
  }

  /**
   * Black-holes the link without closing anything, as a network partition does: open connections stop
   * carrying bytes (and stay that way after restore), new ones are accepted and left hanging.
   */
  stall(): void {
    this.isStalled = true;
    for (const socket of this.sockets) {
      socket.unpipe();
      socket.pause();
      this.stalled.add(socket);
    }
    this.sockets.clear();
  }

  async close(): Promise<void> {
    this.cut();
    for (const socket of this.stalled) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(client: Socket): void {
    if (this.isCut) {
      client.resetAndDestroy();
      return;
    }
    if (this.isStalled) {
      client.pause();
      this.stalled.add(client);
      return;
    }
    const upstream = connect(this.target.port, this.target.host);
    for (const [socket, peer] of [
      [client, upstream],
      [upstream, client],
    ] as const) {
      this.sockets.add(socket);
      socket.pipe(peer);
      // Either side failing or closing ends the pair, as a direct connection would end.
      socket.on('error', () => peer.destroy());
      socket.on('close', () => {
        this.sockets.delete(socket);
        peer.destroy();
      });
    }
  }
}
