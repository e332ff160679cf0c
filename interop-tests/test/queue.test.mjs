// Queue sends (client-protocol.md §4.3) from the official client to the counter example's
// "increments" queue: a consumer handler applies each message once, in order, and answers a
// sender that waits with the new count. Runs against the Java counter server only (the
// reference's conformance actors declare no queues).
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { createClient } from "rivetkit/client";
import { JavaServer, external } from "../lib/server.mjs";
import { ENCODINGS, eventually, rejectsWith, uid } from "../lib/util.mjs";

describe("queue sends to the counter", { skip: external ? "needs the Java counter server (INTEROP_ENDPOINT is set)" : false }, () => {
  let server;

  before(async () => {
    server = new JavaServer({ name: "queue", example: "counter" });
    await server.start();
  });

  after(async () => {
    if (server) await server.close();
  });

  for (const encoding of ENCODINGS) {
    describe(encoding, () => {
      let client;
      before(() => { client = createClient({ endpoint: server.endpoint, encoding }); });
      after(async () => { await client.dispose(); });

      test("send with wait: completed with the handler's response; without: undefined, applied later in order", async () => {
        const h = client.counter.getOrCreate([uid(encoding)]);
        assert.deepEqual(await h.send("increments", 5, { wait: true, timeout: 10_000 }),
          { status: "completed", response: 5 });
        assert.equal(await h.send("increments", 2), undefined);
        assert.equal(await h.send("increments", 3), undefined);
        await eventually(() => h.getCount(), (n) => n === 10, { what: "queued increments applied" });
        assert.deepEqual(await h.send("increments", 1, { wait: true, timeout: 10_000 }),
          { status: "completed", response: 11 });
      });

      test("a connection's events see queued increments; undeclared queues are acknowledged and dropped", async () => {
        const h = client.counter.getOrCreate([uid(encoding)]);
        const conn = h.connect();
        try {
          const seen = [];
          conn.on("newCount", (n) => seen.push(Number(n)));
          await conn.getCount(); // connected and subscribed
          await h.send("increments", 4, { wait: true, timeout: 10_000 });
          await eventually(async () => seen, (s) => s.includes(4), { what: "newCount 4" });
          assert.deepEqual(await h.send("nope", 1, { wait: true, timeout: 1_000 }),
            { status: "completed" });
          assert.equal(await h.getCount(), 4);
        } finally {
          await conn.dispose();
        }
      });

      test("a handler's user error reaches the waiting sender; the queue goes on", async () => {
        const h = client.counter.getOrCreate([uid(encoding)]);
        await rejectsWith(h.send("increments", -1, { wait: true, timeout: 10_000 }), "user",
          "invalid_amount");
        assert.deepEqual(await h.send("increments", 2, { wait: true, timeout: 10_000 }),
          { status: "completed", response: 2 });
      });
    });
  }
});
