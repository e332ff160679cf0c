// Helpers shared by the interop tests.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";

export const ENCODINGS = (process.env.INTEROP_ENCODINGS ?? "json,cbor,bare").split(",");

/** A fresh key part, unique per run. */
export function uid(prefix = "k") {
  return `${prefix}-${Date.now().toString(36)}-${randomBytes(4).toString("hex")}`;
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Calls `fn` until `check(value)` holds, every `interval` ms, at most `timeout` ms; returns the
 * last value or throws with the last value/error.
 */
export async function eventually(fn, check, { timeout = 10_000, interval = 50, what = "condition" } = {}) {
  const deadline = Date.now() + timeout;
  let last;
  let lastError;
  for (;;) {
    try {
      last = await fn();
      lastError = undefined;
      if (check(last)) return last;
    } catch (e) {
      lastError = e;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeout} ms waiting for ${what}; last value: `
        + `${safeJson(last)}${lastError ? `; last error: ${lastError.group ?? ""}.${lastError.code ?? ""} ${lastError.message}` : ""}`);
    }
    await sleep(interval);
  }
}

export function safeJson(v) {
  try {
    return JSON.stringify(v, (k, x) => (typeof x === "bigint" ? `${x}n` : x instanceof Uint8Array ? `Uint8Array(${[...x]})` : x));
  } catch {
    return String(v);
  }
}

/** Awaits `promise` and asserts it rejects with a RivetError of `group.code` (and `message`). */
export async function rejectsWith(promise, group, code, message) {
  let error;
  try {
    const value = await promise;
    assert.fail(`expected ${group}.${code}, got the value ${safeJson(value)}`);
  } catch (e) {
    if (e instanceof assert.AssertionError) throw e;
    error = e;
  }
  assert.equal(`${error.group}.${error.code}`, `${group}.${code}`,
    `expected ${group}.${code}, got ${error.group}.${error.code}: ${error.message}`);
  if (message !== undefined) {
    if (message instanceof RegExp) assert.match(error.message, message);
    else assert.equal(error.message, message);
  }
  return error;
}

/** Resolves with the first `n` calls of event `name` on `conn` (each call's argument list). */
export function collect(conn, name) {
  const calls = [];
  const waiters = [];
  const off = conn.on(name, (...args) => {
    calls.push(args);
    for (const w of [...waiters]) {
      if (calls.length >= w.n) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(calls.slice());
      }
    }
  });
  return {
    calls,
    off,
    /** Waits until at least `n` events arrived (at most `timeout` ms). */
    async atLeast(n, timeout = 5_000) {
      if (calls.length >= n) return calls.slice();
      return await new Promise((resolve, reject) => {
        const w = { n, resolve };
        waiters.push(w);
        setTimeout(() => {
          const i = waiters.indexOf(w);
          if (i >= 0) {
            waiters.splice(i, 1);
            reject(new Error(`expected ${n} '${name}' events within ${timeout} ms, got ${calls.length}: ${safeJson(calls)}`));
          }
        }, timeout);
      });
    },
  };
}

/** Waits until `conn` is connected (status `connected`). */
export async function connected(conn, timeout = 10_000) {
  if (conn.connStatus === "connected") return;
  let timer;
  try {
    await Promise.race([
      conn.ready,
      new Promise((_, reject) => { timer = setTimeout(() => reject(new Error(`connection not open within ${timeout} ms (status ${conn.connStatus})`)), timeout); }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** Waits until `conn` reports `status` (e.g. "connected" after a reconnect). */
export async function status(conn, wanted, timeout = 10_000) {
  if (conn.connStatus === wanted) return;
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => { off(); reject(new Error(`status '${wanted}' not reached within ${timeout} ms (status ${conn.connStatus})`)); }, timeout);
    const off = conn.onStatusChange((s) => {
      if (s === wanted) { clearTimeout(timer); off(); resolve(); }
    });
  });
}

/** Numbers and bigints compare by value (a server may answer 2^40 as either). */
export function sameNumber(actual, expected) {
  return (typeof actual === "bigint" || typeof actual === "number")
    && BigInt(actual) === BigInt(expected);
}

/** RivetKit's REST serialization of a key (client-protocol.md §2.1). */
export function restKey(parts) {
  if (parts.length === 0) return "/";
  return parts.map((p) => (p === "" ? "\\0" : p.replaceAll("\\", "\\\\").replaceAll("/", "\\/"))).join("/");
}

/**
 * Frames of a raw WebSocket in arrival order: `next()` resolves with {text, data} (text frames
 * as strings, binary as Buffer), `closed` with {code, reason}.
 */
export function rawFrames(ws, timeout = 10_000) {
  ws.binaryType = "arraybuffer";
  const queue = [];
  const waiters = [];
  let resolveClosed;
  const closed = new Promise((r) => { resolveClosed = r; });
  ws.addEventListener("message", (ev) => {
    const frame = typeof ev.data === "string"
      ? { text: true, data: ev.data }
      : { text: false, data: Buffer.from(ev.data) };
    const w = waiters.shift();
    if (w) w(frame); else queue.push(frame);
  });
  ws.addEventListener("close", (ev) => resolveClosed({ code: ev.code, reason: ev.reason }));
  return {
    closed,
    next() {
      if (queue.length) return Promise.resolve(queue.shift());
      return new Promise((resolve, reject) => {
        const t = setTimeout(() => reject(new Error(`no raw frame within ${timeout} ms`)), timeout);
        waiters.push((f) => { clearTimeout(t); resolve(f); });
      });
    },
  };
}

/** Resolves once the raw WebSocket is open. */
export function rawOpen(ws) {
  if (ws.readyState === 1) return Promise.resolve();
  return new Promise((resolve, reject) => {
    ws.addEventListener("open", () => resolve());
    ws.addEventListener("error", (e) => reject(new Error(`raw WebSocket failed: ${e.message ?? e}`)));
  });
}
