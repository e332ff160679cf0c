// A TCP forwarder on 127.0.0.1 that stands in for a gateway or load balancer that stays up while
// the server behind it restarts: it accepts every connection at once and connects it to the
// server as soon as the server accepts connections again (retrying for up to `waitMs`).
import net from "node:net";

export class TcpGateway {
  constructor(targetPort, { waitMs = 60_000, retryMs = 100 } = {}) {
    this.targetPort = targetPort;
    this.waitMs = waitMs;
    this.retryMs = retryMs;
    this.sockets = new Set();
    this.held = null; // while the server restarts: connections waiting to be forwarded
    this.server = net.createServer((socket) => {
      if (this.held) {
        this.#track(socket);
        socket.pause();
        this.held.push(socket);
      } else {
        this.#forward(socket);
      }
    });
  }

  /**
   * Holds new connections instead of forwarding them, as a gateway holds requests while an actor's
   * server restarts; call before killing the server (a dying server can still complete TCP
   * handshakes and then drop them).
   */
  hold() {
    this.held ??= [];
  }

  /** Forwards the held connections and every new one again. */
  release() {
    const held = this.held ?? [];
    this.held = null;
    for (const socket of held) this.#forward(socket);
  }

  get endpoint() {
    return `http://127.0.0.1:${this.port}`;
  }

  async listen() {
    await new Promise((resolve, reject) => {
      this.server.once("error", reject);
      this.server.listen(0, "127.0.0.1", resolve);
    });
    this.port = this.server.address().port;
  }

  async close() {
    for (const s of this.sockets) s.destroy();
    await new Promise((resolve) => this.server.close(() => resolve()));
  }

  #track(socket) {
    this.sockets.add(socket);
    socket.once("close", () => this.sockets.delete(socket));
  }

  #forward(client) {
    this.#track(client);
    client.pause();
    const deadline = Date.now() + this.waitMs;
    const attempt = () => {
      if (client.destroyed) return;
      const upstream = net.connect(this.targetPort, "127.0.0.1");
      upstream.once("connect", () => {
        this.#track(upstream);
        upstream.setNoDelay(true);
        client.setNoDelay(true);
        client.pipe(upstream);
        upstream.pipe(client);
        client.resume();
        const closeBoth = () => { client.destroy(); upstream.destroy(); };
        upstream.on("error", closeBoth);
        upstream.on("close", closeBoth);
        client.on("error", closeBoth);
        client.on("close", closeBoth);
      });
      upstream.once("error", () => {
        upstream.destroy();
        if (Date.now() > deadline) client.destroy();
        else setTimeout(attempt, this.retryMs);
      });
    };
    client.on("error", () => client.destroy());
    attempt();
  }
}
