// The official RivetKit 2.3.19 client (rivetkit/client) against the conformance actors of
// spec/conformance-actors.md, in each encoding (json, cbor, bare).
//
// Starts the Java conformance server (scripts/serve.sh conformance) on a free port with a temp
// data dir and short actor timeouts, or uses INTEROP_ENDPOINT when set (e.g. the reference).
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { createClient } from "rivetkit/client";
import { TIMEOUTS, external, startTarget } from "../lib/server.mjs";
import {
  ENCODINGS, collect, connected, eventually, rawFrames, rawOpen, rejectsWith, restKey, safeJson,
  sameNumber, sleep, uid,
} from "../lib/util.mjs";

let endpoint;
let server;

before(async () => {
  ({ endpoint, server } = await startTarget("conformance"));
});

after(async () => {
  if (server) await server.close();
});

for (const encoding of ENCODINGS) {
  describe(`${encoding}`, () => {
    let client;
    const connections = [];
    /** A connection that is disposed after the suite. */
    const track = (conn) => { connections.push(conn); return conn; };

    before(() => {
      client = createClient({ endpoint, encoding });
    });

    after(async () => {
      for (const c of connections) await c.dispose().catch(() => {});
      await client.dispose().catch(() => {});
    });

    // ------------------------------------------------------------------ addressing (§5)

    test("getOrCreate with a compound key (with / and \\) and input; resolve, getKey, getInput, getActorId", async () => {
      const key = ["org", uid(encoding), "a/b", "c\\d"];
      const input = { v: 1, s: "x", nested: [1, { b: null }] };
      const h = client.conformance.getOrCreate(key, { createWithInput: input });
      const id = await h.resolve();
      assert.equal(typeof id, "string");
      assert.ok(id.length > 0);
      assert.deepEqual(await h.getKey(), key);
      assert.deepEqual(await h.getInput(), input);
      assert.equal(await h.getActorId(), id);
      assert.equal(await h.getWakes(), 1);
      assert.equal(await h.getCount(), 0);
      // a second getOrCreate finds the same actor; its input is ignored
      const again = client.conformance.getOrCreate(key, { createWithInput: { other: true } });
      assert.equal(await again.resolve(), id);
      assert.deepEqual(await again.getInput(), input);
      // get() and getForId() reach it too
      assert.equal(await client.conformance.get(key).resolve(), id);
      assert.deepEqual(await client.conformance.get(key).getKey(), key);
      assert.deepEqual(await client.conformance.getForId(id).getKey(), key);
      assert.equal(await client.conformance.getForId(id).getActorId(), id);
    });

    test("keys: a plain string is [string], empty and Unicode parts, order matters, names are separate", async () => {
      const k = uid(encoding);
      assert.deepEqual(await client.conformance.getOrCreate(k).getKey(), [k]);
      const unicode = ["", "ü😀 x", k];
      assert.deepEqual(await client.conformance.getOrCreate(unicode).getKey(), unicode);
      const a = await client.conformance.getOrCreate([k, "1", "2"]).resolve();
      const b = await client.conformance.getOrCreate([k, "2", "1"]).resolve();
      assert.notEqual(a, b);
      await client.counter.getOrCreate([k, "1", "2"]).increment(7);
      assert.equal(await client.conformance.getForId(a).getCount(), 0);
      assert.equal(await client.counter.getOrCreate([k, "1", "2"]).getCount(), 7);
    });

    test("absent input is null", async () => {
      assert.equal(await client.conformance.getOrCreate([uid(encoding)]).getInput(), null);
    });

    test("create with input; create on a taken key fails with actor.duplicate_key", async () => {
      const key = [uid(encoding), "x/y"];
      const h = await client.conformance.create(key, { input: { hello: "world" } });
      const id = await h.resolve();
      assert.deepEqual(await h.getInput(), { hello: "world" });
      assert.deepEqual(await h.getKey(), key);
      const err = await rejectsWith(client.conformance.create(key, { input: 1 }), "actor", "duplicate_key");
      assert.deepEqual(err.metadata, { existing_actor_id: id, key: restKey(key) });
    });

    test("get of a missing key: resolve() and actions fail with actor.not_found", async () => {
      const missing = client.conformance.get([uid(`missing-${encoding}`)]);
      await rejectsWith(missing.resolve(), "actor", "not_found");
      await rejectsWith(missing.getCount(), "actor", "not_found");
    });

    test("error messages use the reference's wording (spec §1.2, §8)", async () => {
      const failures = [];
      const expectMessage = async (what, promise, group, code, message) => {
        try {
          await promise;
          failures.push(`${what}: no error`);
        } catch (e) {
          if (`${e.group}.${e.code}` !== `${group}.${code}`) failures.push(`${what}: ${e.group}.${e.code} instead of ${group}.${code}`);
          else if (e.message !== message) failures.push(`${what}: ${JSON.stringify(e.message)} instead of ${JSON.stringify(message)}`);
        }
      };
      const key = [uid(encoding), "w/x"];
      const h = await client.conformance.create(key);
      const id = await h.resolve();
      await expectMessage("create on a taken key", client.conformance.create(key), "actor", "duplicate_key",
        `Actor key '${restKey(key)}' already in use for actor '${id}'`);
      await expectMessage("unknown action", h.action({ name: "nope", args: [] }), "actor", "action_not_found",
        "Action `nope` was not found.");
      await expectMessage("get(missing) action", client.conformance.get([uid("missing")]).getCount(), "actor", "not_found",
        "The actor does not exist or was destroyed.");
      await expectMessage("get(missing).resolve()", client.conformance.get(["nonexistent-zz"]).resolve(), "actor", "not_found",
        'Actor not found: conformance:["nonexistent-zz"] (https://www.rivet.dev/docs/clients/javascript)');
      await h.destroySelf();
      await eventually(async () => {
        try { await client.conformance.getForId(id).getCount(); return "alive"; } catch (e) { return `${e.group}.${e.code}`; }
      }, (r) => r === "actor.not_found", { timeout: 10_000, what: "actor.not_found by id" });
      await expectMessage("getForId(destroyed) action", client.conformance.getForId(id).getCount(), "actor", "not_found",
        "The actor does not exist or was destroyed.");
      assert.deepEqual(failures, []);
    });

    test("concurrent getOrCreate of one key converges on one actor (created first)", async () => {
      const key = [uid(encoding)];
      const first = await client.conformance.getOrCreate(key).resolve();
      const ids = await Promise.all(Array.from({ length: 8 }, () => client.conformance.getOrCreate(key).resolve()));
      assert.deepEqual(new Set(ids), new Set([first]));
    });

    // ------------------------------------------------------------------ counter (§2)

    test("counter: stateless increment/getCount", async () => {
      const h = client.counter.getOrCreate([uid(encoding)]);
      assert.equal(await h.increment(5), 5);
      assert.equal(await h.increment(-2), 3);
      assert.equal(await h.getCount(), 3);
    });

    test("counter: increment with a non-number argument is rejected (actor.validation_error) and changes nothing", async () => {
      const h = client.counter.getOrCreate([uid(encoding)]);
      await h.increment(2);
      await rejectsWith(h.increment({}), "actor", "validation_error");
      await rejectsWith(h.action({ name: "increment", args: [] }), "actor", "validation_error");
      assert.equal(await h.getCount(), 2);
    });

    test("counter: connect(), on() and once() receive newCount from connection and stateless calls", async () => {
      const key = [uid(encoding)];
      const conn = track(client.counter.getOrCreate(key).connect());
      const events = collect(conn, "newCount");
      const onceCalls = [];
      conn.once("newCount", (n) => onceCalls.push(n));
      assert.equal(await conn.increment(5), 5);
      await events.atLeast(1);
      assert.equal(await client.counter.getOrCreate(key).increment(-2), 3);
      await events.atLeast(2);
      assert.deepEqual(events.calls, [[5], [3]]);
      assert.deepEqual(onceCalls, [5]);
      assert.equal(await conn.getCount(), 3);
    });

    // ------------------------------------------------------------------ connections, events (§4, §6.2)

    test("broadcast reaches every subscribed connection, and only subscribers", async () => {
      const key = [uid(encoding)];
      const h = client.conformance.getOrCreate(key);
      await h.resolve();
      const conns = Array.from({ length: 5 }, () => track(h.connect()));
      const listeners = conns.map((c) => collect(c, "note"));
      const other = track(h.connect());
      const otherEvents = collect(other, "other");
      await Promise.all([...conns, other].map((c) => connected(c)));
      // subscriptions travel on the socket after Init; a round trip on each makes sure they landed
      await Promise.all([...conns, other].map((c) => c.getCount()));
      const payload = { x: 1, s: "ü😀", list: [1, 2, { deep: [null] }] };
      assert.equal(await h.emit("note", payload), null);
      for (const l of listeners) assert.deepEqual(await l.atLeast(1), [[payload]]);
      // unsubscribing stops delivery
      listeners[0].off();
      await conns[0].getCount();
      assert.equal(await conns[1].emit("note", 2), null);
      for (const l of listeners.slice(1)) await l.atLeast(2);
      await sleep(100);
      assert.equal(listeners[0].calls.length, 1);
      assert.equal(otherEvents.calls.length, 0);
    });

    test("emitToCaller reaches the calling connection only; from a stateless call it is a no-op", async () => {
      const h = client.conformance.getOrCreate([uid(encoding)]);
      await h.resolve(); // create first: racing creations of a new key are slow on the reference
      const a = track(h.connect());
      const b = track(h.connect());
      const ea = collect(a, "private");
      const eb = collect(b, "private");
      await Promise.all([a.getCount(), b.getCount()]);
      assert.equal(await a.emitToCaller("private", [1, "two"]), null);
      assert.deepEqual(await ea.atLeast(1), [[[1, "two"]]]);
      assert.equal(await h.emitToCaller("private", 3), null);
      await b.getCount();
      await sleep(100);
      assert.equal(eb.calls.length, 0);
      assert.equal(ea.calls.length, 1);
    });

    test("conn params and conn state: whoAmI over connect() and over stateless calls", async () => {
      const key = [uid(encoding)];
      const h = client.conformance.getOrCreate(key);
      const bob = track(h.connect({ name: "bob" }));
      assert.deepEqual(await bob.whoAmI(), { name: "bob" });
      const anon = track(h.connect());
      assert.deepEqual(await anon.whoAmI(), { name: "anonymous" });
      assert.deepEqual(await client.conformance.getOrCreate(key, { params: { name: "carol" } }).whoAmI(), { name: "carol" });
      assert.deepEqual(await h.whoAmI(), { name: "anonymous" });
      // (params travel in an HTTP header for stateless calls: the client itself cannot send non-Latin-1 there)
      assert.deepEqual(await track(h.connect({ name: "ü😀", extra: [1] })).whoAmI(), { name: "ü😀" });
    });

    test("onBeforeConnect rejects token 'bad': stateless call fails with user.forbidden", async () => {
      const key = [uid(encoding)];
      const id = await client.conformance.getOrCreate(key).resolve();
      const bad = client.conformance.getOrCreate(key, { params: { token: "bad" } });
      const err = await rejectsWith(bad.getCount(), "user", "forbidden", "connection rejected");
      assert.equal(err.metadata, undefined);
      assert.equal(err.actor?.actorId, id);
      // a good token is fine
      assert.equal(await client.conformance.getOrCreate(key, { params: { token: "good" } }).getCount(), 0);
    });

    test("onBeforeConnect rejects token 'bad': connect() fails its queued action and reports onError", async () => {
      const h = client.conformance.getOrCreate([uid(encoding)]);
      await h.resolve();
      const conn = track(h.connect({ token: "bad" }));
      const errors = [];
      conn.onError((e) => errors.push(e));
      const err = await rejectsWith(conn.getCount(), "user", "forbidden");
      assert.match(err.message, /connection rejected|user\.forbidden/);
      await eventually(async () => errors.length, (n) => n >= 1, { timeout: 5_000, what: "onError" });
      assert.equal(`${errors[0].group}.${errors[0].code}`, "user.forbidden");
      assert.notEqual(conn.connStatus, "connected");
    });

    test("connCount counts the caller's own connection, stateless ones too; closed ones disappear", async () => {
      const h = client.conformance.getOrCreate([uid(encoding)]);
      await h.resolve();
      const a = track(h.connect());
      const b = track(h.connect());
      await Promise.all([connected(a), connected(b)]);
      assert.equal(await h.connCount(), 3);
      assert.equal(await a.connCount(), 2);
      await b.dispose();
      await eventually(() => h.connCount(), (n) => n === 2, { timeout: 5_000, what: "connCount 2 after dispose" });
      assert.equal(await a.connCount(), 1);
    });

    // ------------------------------------------------------------------ errors (§1.2, §8)

    test("user error with metadata, over HTTP and over a connection", async () => {
      const key = [uid(encoding), "a/b"];
      const h = client.conformance.getOrCreate(key);
      const id = await h.resolve();
      const e1 = await rejectsWith(h.throwUserError("quota_exceeded", "Too many requests", { limit: 10 }),
        "user", "quota_exceeded", "Too many requests");
      assert.deepEqual(e1.metadata, { limit: 10 });
      assert.equal(e1.actor?.actorId, id);
      assert.equal(e1.actor?.key, restKey(key));
      assert.ok(sameNumber(e1.actor?.generation, 1), `generation ${safeJson(e1.actor?.generation)}`);
      const conn = track(h.connect());
      const e2 = await rejectsWith(conn.throwUserError("quota_exceeded", "Too many requests", { limit: 10, nested: ["ü"] }),
        "user", "quota_exceeded", "Too many requests");
      assert.deepEqual(e2.metadata, { limit: 10, nested: ["ü"] });
      assert.equal(e2.actor?.actorId, id);
      // the connection survives the error
      assert.equal(await conn.getCount(), 0);
    });

    test("user error without metadata has none (HTTP and connection)", async () => {
      const h = client.conformance.getOrCreate([uid(encoding)]);
      const e1 = await rejectsWith(h.throwUserError("c2", "m2"), "user", "c2", "m2");
      assert.equal(e1.metadata, undefined);
      const conn = track(h.connect());
      const e2 = await rejectsWith(conn.throwUserError("c2", "m2"), "user", "c2", "m2");
      assert.equal(e2.metadata ?? null, null);
    });

    test("internal errors are masked (no 'secret' anywhere)", async () => {
      const h = client.conformance.getOrCreate([uid(encoding)]);
      const id = await h.resolve();
      for (const target of [h, track(h.connect())]) {
        const e = await rejectsWith(target.throwInternal(), "rivetkit", "internal_error", "An internal error occurred");
        assert.equal(e.metadata ?? null, null);
        assert.equal(e.actor?.actorId, id);
        const everything = safeJson({ ...e, message: e.message, stack: e.stack, cause: String(e.cause) });
        assert.ok(!everything.includes("secret"), `leaked: ${everything}`);
      }
    });

    test("unknown action: actor.action_not_found (HTTP and connection)", async () => {
      const h = client.conformance.getOrCreate([uid(encoding)]);
      await rejectsWith(h.action({ name: "nope", args: [] }), "actor", "action_not_found");
      const conn = track(h.connect());
      await rejectsWith(conn.action({ name: "nope", args: [1] }), "actor", "action_not_found");
      assert.equal(await conn.getCount(), 0);
    });

    // ------------------------------------------------------------------ values (§7)

    const exactValues = {
      null: null,
      true: true,
      false: false,
      zero: 0,
      maxU32: 2 ** 32 - 1,
      minU32: -(2 ** 32 - 1),
      pi: 3.14159,
      negHalf: -0.5,
      tiny: 1e-7,
      huge: 1.5e300,
      empty: "",
      unicode: "ü😀 — 漢字 𝄞",
      control: "\u0000\u0001\u001f\n\t\r\"\\",
      longString: "x€😀".repeat(6_000), // 48 000 bytes of UTF-8
      emptyObject: {},
      emptyArray: [],
      nested: { a: [1, { b: null, c: [[[]]] }], "key with spaces": 1, "ü😀": { "": "empty key" } },
      bigArray: Array.from({ length: 5_000 }, (_, i) => i),
    };

    test("value round trips through echo (stateless)", async () => {
      const h = client.conformance.getOrCreate([uid(encoding)]);
      for (const [name, v] of Object.entries(exactValues)) {
        assert.deepEqual(await h.echo(v), v, `echo ${name}`);
      }
    });

    test("value round trips through echo (connection) and as event payloads", async () => {
      const h = client.conformance.getOrCreate([uid(encoding)]);
      const conn = track(h.connect());
      const events = collect(conn, "v");
      let n = 0;
      for (const [name, v] of Object.entries(exactValues)) {
        if (name === "longString" || name === "bigArray") continue; // echoed once below
        assert.deepEqual(await conn.echo(v), v, `echo ${name}`);
        await conn.emit("v", v);
        n += 1;
      }
      assert.deepEqual(await conn.echo(exactValues.longString), exactValues.longString);
      assert.deepEqual(await conn.echo(exactValues.bigArray), exactValues.bigArray);
      const calls = await events.atLeast(n);
      assert.deepEqual(calls.map((c) => c[0]),
        Object.entries(exactValues).filter(([k]) => k !== "longString" && k !== "bigArray").map(([, v]) => v));
    });

    test("integers beyond 2^32 keep their exact value (number or bigint)", async () => {
      const h = client.conformance.getOrCreate([uid(encoding)]);
      await h.resolve();
      const conn = track(h.connect());
      for (const v of [2 ** 32, -(2 ** 32), 2 ** 40 + 1, Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER]) {
        for (const target of [h, conn]) {
          const out = await target.echo(v);
          assert.ok(sameNumber(out, v), `echo ${v} gave ${safeJson(out)}`);
        }
      }
    });

    test("input of any shape is stored and returned", async () => {
      const input = { when: 1795445923277, list: ["a", { b: [true, false, null] }], text: "ü😀", f: 0.25 };
      const h = client.conformance.getOrCreate([uid(encoding)], { createWithInput: input });
      assert.deepEqual(await h.getInput(), input);
      const h2 = await client.conformance.create([uid(encoding)], { input: "just a string" });
      assert.equal(await h2.getInput(), "just a string");
    });

    const taggedValues = {
      bytes: new Uint8Array([0, 1, 2, 254, 255]),
      emptyBytes: new Uint8Array([]),
      nestedBytes: { data: new Uint8Array([9, 8, 7]), list: [new Uint8Array([1])] },
      bigint: 2n ** 70n + 123n,
      negBigint: -5n,
      dollarPair: ["$foo", 1],
      dollarNested: { a: ["$$bar", "x"] },
    };

    if (encoding === "cbor") {
      test("cbor: Uint8Array and bigint round-trip or fail as the reference does (internal_error)", async () => {
        const h = client.conformance.getOrCreate([uid(encoding)]);
        for (const [name, v] of Object.entries(taggedValues)) {
          // the client sends $-pairs unescaped in cbor, so they are not values cbor can carry
          if (name.startsWith("dollar")) continue;
          try {
            const out = await h.echo(v);
            // the reference answers a bigint that fits 64 bits as a plain number in cbor
            if (typeof v === "bigint" && sameNumber(out, v)) continue;
            assert.deepEqual(out, v, `echo ${name}`);
          } catch (e) {
            if (e instanceof assert.AssertionError) throw e;
            assert.equal(e.code, "internal_error", `echo ${name}: ${e.group}.${e.code} ${e.message}`);
          }
        }
      });
    } else {
      test(`${encoding}: Uint8Array, bigint and $-pairs round-trip (stateless and connection)`, async () => {
        const h = client.conformance.getOrCreate([uid(encoding)]);
        await h.resolve();
        const conn = track(h.connect());
        for (const [name, v] of Object.entries(taggedValues)) {
          assert.deepEqual(await h.echo(v), v, `stateless echo ${name}`);
          assert.deepEqual(await conn.echo(v), v, `connection echo ${name}`);
        }
        const out = await h.echo(new Uint8Array([1, 2, 3]));
        assert.ok(out instanceof Uint8Array, `a Uint8Array, got ${safeJson(out)}`);
      });
    }

    // ------------------------------------------------------------------ chatRoom (§3)

    test("chatRoom: sendMessage trims, stores, broadcasts; getHistory returns it", async () => {
      const room = client.chatRoom.getOrCreate([uid(encoding)]);
      assert.deepEqual(await room.getHistory(), []);
      const conn = track(room.connect());
      const events = collect(conn, "newMessage");
      await conn.getHistory();
      const before = Date.now();
      const m = await room.sendMessage("  carol ", "\t hi  \n");
      assert.deepEqual(Object.keys(m), ["sender", "text", "timestamp"]);
      assert.equal(m.sender, "carol");
      assert.equal(m.text, "hi");
      assert.ok(Number.isInteger(Number(m.timestamp)));
      assert.ok(Math.abs(Number(m.timestamp) - before) < 60_000, `timestamp ${m.timestamp} vs ${before}`);
      assert.deepEqual(await events.atLeast(1), [[m]]);
      const sql = "'); DROP TABLE messages; --";
      const m2 = await conn.sendMessage("dave", sql);
      assert.equal(m2.text, sql);
      const history = await room.getHistory();
      assert.deepEqual(history, [m, m2]);
      for (const row of history) assert.deepEqual(Object.keys(row), ["sender", "text", "timestamp"]);
    });

    test("chatRoom: validation errors (user.invalid_message), nothing stored", async () => {
      const room = client.chatRoom.getOrCreate([uid(encoding)]);
      const cases = [
        [[42, "x"], "sender must be a string"],
        [[null, "x"], "sender must be a string"],
        [["bob"], "text must be a string"],
        [["bob", null], "text must be a string"],
        [["bob", 5], "text must be a string"],
        [["", "x"], "sender must be 1-64 characters"],
        [["   ", "x"], "sender must be 1-64 characters"],
        [["s".repeat(65), "x"], "sender must be 1-64 characters"],
        [["bob", " \n\t "], "text must be 1-2000 characters"],
        [["bob", "t".repeat(2001)], "text must be 1-2000 characters"],
      ];
      for (const [args, message] of cases) {
        const e = await rejectsWith(room.action({ name: "sendMessage", args }), "user", "invalid_message", message);
        assert.equal(e.metadata, undefined);
      }
    });

    test("chatRoom: limits apply to the trimmed text, lengths in UTF-16 units, JS whitespace", async () => {
      const room = client.chatRoom.getOrCreate([uid(encoding)]);
      const ok = await room.sendMessage(` ${"s".repeat(64)} `, "😀".repeat(1000));
      assert.equal(ok.sender.length, 64);
      assert.equal(ok.text, "😀".repeat(1000));
      await rejectsWith(room.sendMessage("bob", "😀".repeat(1000) + "x"), "user", "invalid_message", "text must be 1-2000 characters");
      const ws = await room.sendMessage("\u00a0\ufeff\u2028 eve \u3000\u202f", "\u000b\f text \u2029\u1680");
      assert.deepEqual([ws.sender, ws.text], ["eve", "text"]);
      assert.deepEqual((await room.getHistory()).map((m) => m.sender), ["s".repeat(64), "eve"]);
    });

    test("chatRoom: getHistory returns the newest 100 in order", async () => {
      const room = client.chatRoom.getOrCreate([uid(encoding)]);
      const conn = track(room.connect());
      for (let i = 0; i < 105; i++) await (i % 2 ? conn : room).sendMessage("bot", `m${i}`);
      const history = await room.getHistory();
      assert.deepEqual(history.map((m) => m.text), Array.from({ length: 100 }, (_, i) => `m${i + 5}`));
      for (let i = 1; i < history.length; i++) {
        assert.ok(Number(history[i].timestamp) >= Number(history[i - 1].timestamp));
      }
    });

    // ------------------------------------------------------------------ concurrency (§1.4)

    test("a slow action does not delay other actions on the same connection", async () => {
      const h = client.conformance.getOrCreate([uid(encoding)]);
      const conn = track(h.connect());
      await conn.getCount();
      const order = [];
      const slow = conn.slowEcho(600, "slow").then((v) => { order.push(v); return v; });
      await sleep(20);
      const fast = conn.echo("fast").then((v) => { order.push(v); return v; });
      const fast2 = h.getCount().then((v) => { order.push("stateless"); return v; });
      assert.deepEqual(await Promise.all([slow, fast, fast2]), ["slow", "fast", 0]);
      assert.equal(order.at(-1), "slow", `order ${order}`);
    });

    test("concurrent increments are never lost", async () => {
      const h = client.conformance.getOrCreate([uid(encoding)]);
      await h.resolve();
      const conn = track(h.connect());
      const results = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? conn : h).increment(1)));
      assert.equal(new Set(results).size, 20);
      assert.deepEqual([...results].sort((a, b) => a - b), Array.from({ length: 20 }, (_, i) => i + 1));
      assert.equal(await h.getCount(), 20);
      // increment ignores non-numbers (adds 1), as the reference does
      assert.equal(await h.increment("x"), 21);
      assert.equal(await h.increment(2.5), 23.5);
    });

    // ------------------------------------------------------------------ schedules (§6.3)

    test("scheduleIncrement fires once, not before its delay", async () => {
      const h = client.conformance.getOrCreate([uid(encoding)]);
      await h.increment(1);
      const start = Date.now();
      assert.equal(await h.scheduleIncrement(400, 5), null);
      assert.equal(await h.getCount(), 1);
      await eventually(() => h.getCount(), (n) => n === 6, { timeout: 8_000, interval: 25, what: "count 6" });
      assert.ok(Date.now() - start >= 350, `fired after ${Date.now() - start} ms`);
      await sleep(300);
      assert.equal(await h.getCount(), 6);
    });

    test("schedules fire in deadline order", async () => {
      const h = client.conformance.getOrCreate([uid(encoding)]);
      await h.scheduleIncrement(700, 100);
      await h.scheduleIncrement(300, 10);
      const seen = new Set();
      await eventually(async () => { const c = await h.getCount(); seen.add(c); return c; }, (c) => c === 110,
        { timeout: 10_000, interval: 25, what: "count 110" });
      assert.ok(seen.has(10), `saw ${[...seen]}`);
      assert.ok(!seen.has(100), `saw ${[...seen]}`);
    });

    test("a schedule fires although the actor went to sleep", async () => {
      const h = client.conformance.getOrCreate([uid(encoding)]);
      assert.equal(await h.getWakes(), 1);
      await h.scheduleIncrement(500, 7);
      assert.equal(await h.goToSleep(), null);
      await sleep(1_500);
      assert.equal(await h.getCount(), 7);
      assert.ok((await h.getWakes()) >= 2);
      await sleep(300);
      assert.equal(await h.getCount(), 7);
    });

    // ------------------------------------------------------------------ sleep and wake (§6.4)

    test("goToSleep: the next call wakes the actor (onWake, new vars), state unchanged", async () => {
      const key = [uid(encoding), "sleepy"];
      const h = client.conformance.getOrCreate(key, { createWithInput: { keep: "me" } });
      const id = await h.resolve();
      await h.increment(4);
      const nonce1 = await h.getVarsNonce();
      assert.equal(typeof nonce1, "string");
      assert.ok(nonce1.length > 0);
      assert.equal(await h.getVarsNonce(), nonce1);
      assert.equal(await h.getWakes(), 1);
      assert.equal(await h.goToSleep(), null);
      const wakes = await eventually(() => h.getWakes(), (w) => w === 2, { timeout: 10_000, what: "wakes 2" });
      assert.equal(wakes, 2);
      assert.notEqual(await h.getVarsNonce(), nonce1);
      assert.equal(await h.getCount(), 4);
      assert.deepEqual(await h.getInput(), { keep: "me" });
      assert.deepEqual(await h.getKey(), key);
      assert.equal(await h.getActorId(), id);
      assert.equal(await h.resolve(), id);
    });

    test("a connection survives sleep and keeps receiving events", async () => {
      const h = client.conformance.getOrCreate([uid(encoding)]);
      const conn = track(h.connect());
      const events = collect(conn, "after");
      const nonce1 = await conn.getVarsNonce();
      assert.equal(await conn.goToSleep(), null);
      await sleep(200);
      const nonce2 = await conn.getVarsNonce();
      assert.notEqual(nonce2, nonce1);
      assert.equal(conn.connStatus, "connected");
      assert.equal(await conn.getWakes(), 2);
      await h.emit("after", "woke");
      assert.deepEqual(await events.atLeast(1), [["woke"]]);
    });

    test("an idle actor sleeps by itself after sleepTimeout", { skip: external && !process.env.INTEROP_SLEEP_TIMEOUT_MS }, async () => {
      const h = client.conformance.getOrCreate([uid(encoding)]);
      const nonce1 = await h.getVarsNonce();
      await sleep(TIMEOUTS.sleep + 1_000);
      assert.equal(await h.getWakes(), 2);
      assert.notEqual(await h.getVarsNonce(), nonce1);
    });

    // ------------------------------------------------------------------ destroy (§6.5)

    test("destroySelf: by id not_found, get not_found, getOrCreate makes a new actor", async () => {
      const key = [uid(encoding), "doomed"];
      const h = client.conformance.getOrCreate(key, { createWithInput: "first" });
      const id = await h.resolve();
      await h.increment(3);
      const conn = track(client.conformance.getForId(id).connect());
      const connErrors = [];
      conn.onError((e) => connErrors.push(e));
      await conn.getCount();
      assert.equal(await h.destroySelf(), null);
      await eventually(async () => {
        try {
          await client.conformance.getForId(id).getCount();
          return "alive";
        } catch (e) {
          return `${e.group}.${e.code}`;
        }
      }, (r) => r === "actor.not_found", { timeout: 10_000, what: "actor.not_found by id" });
      await rejectsWith(client.conformance.getForId(id).getCount(), "actor", "not_found");
      await rejectsWith(client.conformance.get(key).resolve(), "actor", "not_found");
      await eventually(async () => connErrors.length, (n) => n >= 1, { timeout: 10_000, what: "connection error after destroy" });
      assert.equal(connErrors[0].group, "actor", `${connErrors[0].group}.${connErrors[0].code}`);
      const fresh = client.conformance.getOrCreate(key, { createWithInput: "second" });
      const id2 = await fresh.resolve();
      assert.notEqual(id2, id);
      assert.equal(await fresh.getCount(), 0);
      assert.equal(await fresh.getWakes(), 1);
      assert.equal(await fresh.getInput(), "second");
      // the dynamic handle made before follows the key
      assert.equal(await h.getActorId(), id2);
    });

    // ------------------------------------------------------------------ limits (§1.5, §8)

    // ------------------------------------------------------------------ raw HTTP and WebSocket (§4.3, §4.4)

    test("raw fetch: GET /hello, POST /echo (500 KB intact), 404 otherwise", async () => {
      const first = uid(encoding);
      const h = client.conformance.getOrCreate([first, "second"]);
      const hello = await h.fetch("/hello?ignored=1");
      assert.equal(hello.status, 200);
      assert.match(hello.headers.get("content-type"), /^text\/plain/);
      assert.equal(await hello.text(), `hello ${first},second`);
      const body = new Uint8Array(500 * 1024);
      for (let i = 0; i < body.length; i++) body[i] = (i * 31 + 7) & 0xff;
      const echo = await h.fetch("echo", { method: "POST", body, headers: { "content-type": "application/x-test" } });
      assert.equal(echo.status, 200);
      assert.equal(echo.headers.get("content-type"), "application/x-test");
      assert.deepEqual(new Uint8Array(await echo.arrayBuffer()), body);
      const plain = await h.fetch("/echo", { method: "POST", body: new Uint8Array([1, 2, 3]) });
      assert.equal(plain.headers.get("content-type"), "application/octet-stream");
      assert.deepEqual([...new Uint8Array(await plain.arrayBuffer())], [1, 2, 3]);
      for (const [path, method] of [["/nope", "GET"], ["/hello", "POST"], ["/echo", "GET"]]) {
        const r = await h.fetch(path, { method, ...(method === "POST" ? { body: "x" } : {}) });
        assert.equal(r.status, 404, `${method} ${path}`);
        assert.match(r.headers.get("content-type"), /^text\/plain/);
        assert.equal(await r.text(), "not found");
      }
      assert.equal(await h.getCount(), 0);
    });

    test("raw fetch refused by onBeforeConnect: non-2xx JSON user.forbidden", async () => {
      const h = client.conformance.getOrCreate([uid(encoding)], { params: { token: "bad" } });
      const r = await h.fetch("/hello");
      assert.ok(r.status >= 400, `status ${r.status}`);
      assert.match(r.headers.get("content-type"), /^application\/json/);
      const err = await r.json();
      assert.equal(err.group, "user");
      assert.equal(err.code, "forbidden");
    });

    test("raw WebSocket: welcome, then text and binary frames echoed in order; close; the actor keeps working", async () => {
      const h = client.conformance.getOrCreate([uid(encoding)]);
      const ws = await h.webSocket("any/path?x=1");
      const frames = rawFrames(ws);
      await rawOpen(ws);
      assert.deepEqual(await frames.next(), { text: true, data: "welcome" });
      const big = Buffer.alloc(100 * 1024);
      for (let i = 0; i < big.length; i++) big[i] = (i * 13) & 0xff;
      ws.send("hello");
      ws.send("");
      ws.send("ü😀");
      ws.send(new Uint8Array([9, 8, 7]));
      ws.send(big);
      assert.deepEqual(await frames.next(), { text: true, data: "hello" });
      assert.deepEqual(await frames.next(), { text: true, data: "" });
      assert.deepEqual(await frames.next(), { text: true, data: "ü😀" });
      assert.deepEqual(await frames.next(), { text: false, data: Buffer.from([9, 8, 7]) });
      const echoed = await frames.next();
      assert.equal(echoed.text, false);
      assert.ok(echoed.data.equals(big), "100 KB binary frame intact");
      ws.close(1000, "bye");
      const closed = await frames.closed;
      assert.equal(closed.code, 1000);
      assert.equal(await h.echo("after"), "after");
    });

    test("incoming message limit: ~60 KB accepted, > 64 KiB rejected with message.incoming_too_long (HTTP)", async () => {
      const h = client.conformance.getOrCreate([uid(encoding)]);
      const ok = "a".repeat(60_000);
      assert.equal(await h.echo(ok), ok);
      await rejectsWith(h.echo("b".repeat(70_000)), "message", "incoming_too_long", "Incoming message too long");
      assert.equal(await h.getCount(), 0);
    });

    test("incoming message limit over a connection: the action fails, the client reconnects, state is intact", async () => {
      const h = client.conformance.getOrCreate([uid(encoding)]);
      const conn = track(h.connect());
      const events = collect(conn, "still");
      await conn.increment(2);
      const e = await rejectsWith(conn.echo("c".repeat(2 * 1024 * 1024)), "message", "incoming_too_long");
      assert.match(e.message, /incoming_too_long|Incoming message too long/);
      // the client reconnects by itself and re-subscribes
      assert.equal(await conn.getCount(), 2);
      await eventually(async () => { await h.emit("still", "here"); return events.calls.length; }, (n) => n >= 1,
        { timeout: 10_000, interval: 200, what: "event after reconnect" });
      assert.equal(await conn.echo("small"), "small");
    });

    test("action timeout: a slow action fails with actor.action_timed_out", { skip: external && !process.env.INTEROP_ACTION_TIMEOUT_MS }, async () => {
      const h = client.conformance.getOrCreate([uid(encoding)]);
      await rejectsWith(h.slowEcho(TIMEOUTS.action + 1_500, "late"), "actor", "action_timed_out");
      assert.equal(await h.echo("still fine"), "still fine");
    });
  });
}
