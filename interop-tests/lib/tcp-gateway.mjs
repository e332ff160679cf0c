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
    this.server = net.createServer((socket) => this.#forward(socket));
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
