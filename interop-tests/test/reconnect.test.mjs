// Crash and restart: the Java conformance server is killed with SIGKILL while the official client
// has open connections, then restarted on the same port and data directory.
//
// The official client retries a dropped connection once, at once, and gives up for good when that
// attempt is refused (client-protocol.md §5.5: a refused socket is not a retryable lifecycle
// signal). In the reference deployment the Rivet Engine's gateway stays up while an actor
// process dies, so the client never sees a refused port. Rivet4j's answer is its Supervisor
// (scripts/serve.sh with RIVET_SUPERVISE=1): it holds the listening socket and restarts a dead
// server, so reconnect attempts wait in the backlog instead of being refused — tested below by
// SIGKILLing the server process under it. A small TCP gateway stand-in (lib/tcp-gateway.mjs)
// plays the engine's part in another test; the first test talks to a plain server directly.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { createClient } from "rivetkit/client";
import { JavaServer, external } from "../lib/server.mjs";
import { TcpGateway } from "../lib/tcp-gateway.mjs";
import { ENCODINGS, collect, connected, eventually, sleep, status, uid } from "../lib/util.mjs";

describe("crash and restart (SIGKILL)", { skip: external ? "needs the Java server (INTEROP_ENDPOINT is set)" : false }, () => {
  let server;
  let gateway;

  before(async () => {
    server = new JavaServer({ name: "reconnect" });
    await server.start();
    gateway = new TcpGateway(server.port);
    await gateway.listen();
  });

  after(async () => {
    if (gateway) await gateway.close();
    if (server) await server.close();
  });

  test("acknowledged state survives SIGKILL; connections work again after the restart (direct)", async () => {
    const clients = ENCODINGS.map((encoding) => createClient({ endpoint: server.endpoint, encoding }));
    try {
      const key = [uid("crash"), "a/b"];
      const handles = clients.map((c) => c.conformance.getOrCreate(key, { createWithInput: { v: 1 } }));
      const id = await handles[0].resolve();
      for (const h of handles) await h.increment(1);
      const conns = handles.map((h) => h.connect({ name: "before" }));
      for (const c of conns) assert.equal(await c.increment(10), await c.getCount());
      const count = await handles[0].getCount();
      assert.equal(count, ENCODINGS.length * 11);
      const counter = clients[0].counter.getOrCreate(key);
      assert.equal(await counter.increment(3), 3);

      await server.kill("SIGKILL");
      await server.start();

      for (const h of handles) {
        assert.equal(await h.resolve(), id);
        assert.equal(await h.getCount(), count);
        assert.deepEqual(await h.getInput(), { v: 1 });
        assert.ok((await h.getWakes()) >= 2);
      }
      assert.equal(await counter.getCount(), 3);
      // a new connection on each encoding works; the old ones were given up by the client
      for (const c of conns) await c.dispose();
      for (const h of handles) {
        const conn = h.connect({ name: "after" });
        try {
          assert.deepEqual(await conn.whoAmI(), { name: "after" });
        } finally {
          await conn.dispose();
        }
      }
    } finally {
      for (const c of clients) await c.dispose();
    }
  });

  test("under the Supervisor, SIGKILL of the server process: connections come back by themselves, subscriptions restored, queued actions complete", async () => {
    const supervised = new JavaServer({ name: "supervised", supervised: true });
    await supervised.start();
    try {
      let restarted;
      await connectionsComeBack(supervised.endpoint, supervised.endpoint, {
        kill: async () => { restarted = supervised.killServerProcess(); },
        back: async () => { await restarted; },
      });
    } finally {
      await supervised.close();
    }
  });

  test("through a gateway that stays up, open connections come back by themselves: subscriptions restored, queued actions complete", async () => {
    await connectionsComeBack(gateway.endpoint, server.endpoint, {
      kill: async () => {
        gateway.hold(); // the gateway holds new attempts while the server restarts
        await server.kill("SIGKILL");
      },
      back: async () => {
        await sleep(200);
        await server.start();
        gateway.release();
      },
    });
  });
});

/**
 * Connections in every encoding through `endpoint` (the same server is reachable directly at
 * `direct`) survive `restart.kill()` … `restart.back()`: they notice, actions issued meanwhile
 * wait in the client's queue and complete once, subscriptions are sent again.
 */
async function connectionsComeBack(endpoint, direct, restart) {
  const clients = ENCODINGS.map((encoding) => createClient({ endpoint, encoding }));
  const control = createClient({ endpoint: direct, encoding: "json" });
  try {
    const key = [uid("reconnect")];
    const id = await control.conformance.getOrCreate(key).resolve();
    const conns = clients.map((c) => c.conformance.getOrCreate(key).connect({ name: "survivor" }));
    const events = conns.map((c) => collect(c, "ping"));
    const opens = conns.map(() => 0);
    conns.forEach((c, i) => c.onOpen(() => { opens[i] += 1; }));
    await Promise.all(conns.map((c) => connected(c)));
    for (const c of conns) await c.increment(1);
    await control.conformance.getOrCreate(key).emit("ping", 1);
    for (const e of events) assert.deepEqual(await e.atLeast(1), [[1]]);

    await restart.kill();
    // every connection notices, then tries again
    await Promise.all(conns.map((c) => eventually(async () => c.connStatus, (s) => s !== "connected",
      { timeout: 10_000, what: "disconnect after SIGKILL" })));
    // actions issued while the server is down wait in the client's queue
    const queued = conns.map((c) => c.increment(100));
    await restart.back();
    await Promise.all(conns.map((c) => status(c, "connected", 30_000)));
    const results = await Promise.all(queued);
    assert.equal(new Set(results).size, conns.length, `distinct results ${results}`);
    assert.equal(Math.max(...results), conns.length + 100 * conns.length);
    for (const c of conns) {
      assert.deepEqual(await c.whoAmI(), { name: "survivor" });
      assert.equal(await c.getActorId(), id);
    }
    assert.ok(opens.every((n) => n >= 2), `onOpen calls ${opens}`);
    // the subscriptions were sent again on the new connections
    await control.conformance.getOrCreate(key).emit("ping", 2);
    for (const e of events) assert.deepEqual(await e.atLeast(2), [[1], [2]]);
    // (+1: the stateless connCount call is a connection of its own while it runs)
    assert.equal(await control.conformance.getOrCreate(key).connCount(), conns.length + 1);
    for (const c of conns) await c.dispose();
  } finally {
    for (const c of clients) await c.dispose();
    await control.dispose();
  }
}
