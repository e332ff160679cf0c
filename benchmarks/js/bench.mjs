// Load generator on the official RivetKit 2.3.19 JavaScript client (`rivetkit/client`, bare
// encoding), or on the same Node process's raw WebSocket (`ws`, which that client uses on Node 20)
// and `fetch` against a bare Netty echo server, for the raw ceiling. One process runs one
// contender's scenarios and appends one JSON line per scenario to --out; run.sh starts the
// servers, pins them and this process to different cores, and writes the tables.
//
//   node bench.mjs --contender=rivet4j-relaxed --endpoint=http://127.0.0.1:6420 \
//       --scenarios=create,ws-seq,http-seq,ws-64x1000,hot --server-pids=123 --out=run.jsonl
//   node bench.mjs --contender=raw-echo --endpoint=http://127.0.0.1:6499 \
//       --scenarios=raw-ws-seq,raw-http-seq,raw-ws-64x1000,raw-ws-hot --out=run.jsonl
//
// Closed loop: `--in-flight` workers (default --connections, 64), each awaiting one call at a
// time; latency is performance.now() before the call to its promise resolving, kept in a growing
// Float64Array and sorted once per scenario (exact percentiles). Warm-up first, then a fixed
// measured window; calls that finish after the window are not counted.
import { appendFileSync, readFileSync } from "node:fs";
import os from "node:os";
import { performance } from "node:perf_hooks";
import { createClient } from "rivetkit/client";
import WebSocket from "ws";

const CLIENT_VERSION = JSON.parse(
  readFileSync(new URL("./node_modules/rivetkit/package.json", import.meta.url))).version;
const WS_VERSION = JSON.parse(
  readFileSync(new URL("./node_modules/ws/package.json", import.meta.url))).version;

// ------------------------------------------------------------------------------ options

const opts = {
  contender: "rivet4j",
  durability: "",
  endpoint: "http://127.0.0.1:6420",
  scenarios: "create,ws-seq,http-seq,ws-64x1000,hot",
  warmup: 3,
  measure: 10,
  actors: 1000,
  connections: 64,
  inFlight: 0, // 0: = connections
  createConcurrency: 16,
  actorName: "counter",
  serverPids: "",
  out: "",
  run: new Date().toISOString(),
  commit: "",
  pinning: "",
  quiet: 0.25, // after the warm-up, wait (≤ 60 s, load running) for a 1 s window with others' CPU below this share
};
for (const a of process.argv.slice(2)) {
  const m = /^--([a-z-]+)=(.*)$/.exec(a);
  if (!m) usage(a);
  const key = m[1].replace(/-([a-z])/g, (_, c) => c.toUpperCase());
  if (!(key in opts)) usage(a);
  opts[key] = typeof opts[key] === "number" ? Number(m[2]) : m[2];
}
if (!opts.inFlight) opts.inFlight = opts.connections;

function usage(arg) {
  console.error(`unknown argument ${arg}; options: ${Object.keys(opts).map((k) => `--${k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}=`).join(" ")}`);
  process.exit(2);
}

const log = (...args) => console.error(`[${opts.contender}]`, ...args);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// --------------------------------------------------------------------------- samples, CPU

/** Latencies of one measured window in milliseconds; exact percentiles by sorting. */
class Samples {
  constructor() {
    this.values = new Float64Array(1 << 16);
    this.n = 0;
  }
  add(ms) {
    if (this.n === this.values.length) {
      const bigger = new Float64Array(this.values.length * 2);
      bigger.set(this.values);
      this.values = bigger;
    }
    this.values[this.n++] = ms;
  }
  percentiles() {
    const v = this.values.subarray(0, this.n).sort();
    const at = (p) => (this.n === 0 ? null : v[Math.min(this.n - 1, Math.ceil((p / 100) * this.n) - 1)]);
    return { p50: at(50), p90: at(90), p99: at(99), p999: at(99.9), max: at(100) };
  }
}

const TICK_MS = 10; // USER_HZ = 100 on Linux
const serverPids = opts.serverPids.split(",").filter(Boolean).map(Number);

function procTicks(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const f = stat.slice(stat.lastIndexOf(")") + 2).split(" "); // f[0] is field 3 (state)
    return Number(f[11]) + Number(f[12]); // utime + stime (fields 14, 15)
  } catch {
    return NaN;
  }
}

function machineBusyTicks() {
  try {
    const f = readFileSync("/proc/stat", "utf8").split("\n")[0].trim().split(/\s+/);
    return [1, 2, 3, 6, 7, 8].reduce((s, i) => s + Number(f[i]), 0); // user nice system irq softirq steal
  } catch {
    return NaN;
  }
}

/** CPU of the server processes, of this process and of everything else over a window. */
function cpuWindow() {
  const t0 = performance.now();
  const self0 = process.cpuUsage();
  const server0 = serverPids.reduce((s, p) => s + procTicks(p), 0);
  const machine0 = machineBusyTicks();
  return () => {
    const wallMs = performance.now() - t0;
    const self = process.cpuUsage(self0);
    const generatorMs = (self.user + self.system) / 1000;
    const serverMs = (serverPids.reduce((s, p) => s + procTicks(p), 0) - server0) * TICK_MS;
    const machineMs = (machineBusyTicks() - machine0) * TICK_MS;
    const othersMs = Math.max(0, machineMs - serverMs - generatorMs);
    return {
      server_cpu_cores: serverPids.length ? round(serverMs / wallMs, 2) : null,
      generator_cpu_cores: round(generatorMs / wallMs, 2),
      others_cpu_share: Number.isNaN(machineMs) ? null
        : round(Math.min(1, othersMs / (wallMs * os.cpus().length)), 2),
    };
  };
}

const round = (x, digits) => (x === null || Number.isNaN(x) ? null : Number(x.toFixed(digits)));

// ------------------------------------------------------------------------- closed loop

/**
 * Runs `inFlight` workers; worker w calls `call(target)` on targets w, w + inFlight, … (mod
 * targets.length) in turn, one call at a time. Warm-up, then the measured window.
 */
async function closedLoop({ scenario, transport, targets, call, inFlight, extra = {} }) {
  let phase = "warmup";
  let samples = new Samples();
  let errors = 0;
  let firstErrors = [];
  const worker = async (w) => {
    let k = 0;
    while (phase !== "stop") {
      const target = targets[(w + k * inFlight) % targets.length];
      k++;
      const t0 = performance.now();
      try {
        await call(target);
        const t1 = performance.now();
        if (phase === "measure") samples.add(t1 - t0);
      } catch (e) {
        if (phase === "measure") errors++;
        if (firstErrors.length < 3) firstErrors.push(`${e?.group ?? ""}.${e?.code ?? ""} ${e?.message ?? e}`);
        await sleep(10);
      }
    }
  };
  log(`${scenario}: ${targets.length} targets, ${inFlight} in flight, ${opts.warmup} s warm-up + ${opts.measure} s …`);
  const workers = Array.from({ length: inFlight }, (_, w) => worker(w));
  await sleep(opts.warmup * 1000);
  const quietWait = await awaitQuiet(scenario);
  samples = new Samples();
  errors = 0;
  const cpu = cpuWindow();
  const t0 = performance.now();
  phase = "measure";
  await sleep(opts.measure * 1000);
  phase = "stop";
  const elapsed = (performance.now() - t0) / 1000;
  const cpuUse = cpu();
  const finished = Promise.all(workers);
  const drained = await Promise.race([finished.then(() => true), sleep(30_000).then(() => false)]);
  if (!drained) log(`${scenario}: calls still outstanding 30 s after the window; going on`);
  const p = samples.percentiles();
  const row = {
    run: opts.run,
    commit: opts.commit || undefined,
    scenario,
    contender: opts.contender,
    durability: opts.durability || undefined,
    generator: transport.generator,
    load_generator: "node",
    transport: transport.name,
    actors: extra.actors ?? null,
    connections: extra.connections ?? targets.length,
    in_flight: inFlight,
    warmup_s: opts.warmup,
    measure_s: opts.measure,
    quiet_wait_s: quietWait,
    ops_per_s: round(samples.n / elapsed, 1),
    p50_ms: round(p.p50, 3),
    p90_ms: round(p.p90, 3),
    p99_ms: round(p.p99, 3),
    p999_ms: round(p.p999, 3),
    max_ms: round(p.max, 3),
    errors,
    samples: samples.n,
    ...cpuUse,
    pinning: opts.pinning || undefined,
    cpus: os.cpus().length,
    load1: round(os.loadavg()[0], 2),
    node: process.version,
    suite: "js",
    first_errors: firstErrors.length ? firstErrors : undefined,
  };
  emit(row);
  return row;
}

/**
 * The machine is shared: extends the warm-up (load running) until a 1 s window in which other
 * processes used less than `--quiet` of all cores, for at most 60 s; returns the seconds waited.
 */
async function awaitQuiet(scenario) {
  if (!(opts.quiet > 0)) return 0;
  const t0 = performance.now();
  while (performance.now() - t0 < 60_000) {
    const cpu = cpuWindow();
    await sleep(1000);
    const { others_cpu_share: others } = cpu();
    if (others === null || others < opts.quiet) break;
  }
  const waited = round((performance.now() - t0) / 1000 - 1, 1);
  if (waited > 0.5) log(`${scenario}: waited ${waited} s for others' CPU below ${opts.quiet * 100}%`);
  return Math.max(0, waited);
}

function emit(row) {
  const line = JSON.stringify(row);
  if (opts.out) appendFileSync(opts.out, `${line}\n`);
  log(`  ${row.scenario}: ${row.ops_per_s} ops/s, p50 ${row.p50_ms} ms, p99 ${row.p99_ms} ms, `
    + `${row.errors} errors, server ${row.server_cpu_cores} cores, generator ${row.generator_cpu_cores} cores, `
    + `others ${row.others_cpu_share}`);
  if (row.first_errors) log(`  first errors: ${row.first_errors.join(" | ")}`);
}

/** Runs `fn` on every item with at most `limit` at a time. */
async function pool(items, limit, fn) {
  let next = 0;
  const run = async () => {
    while (next < items.length) {
      const i = next++;
      await fn(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, run));
}

// ------------------------------------------------------------------ official client scenarios

const CLIENT = { name: "", generator: `rivetkit@${CLIENT_VERSION} client (bare), ws@${WS_VERSION}, node ${process.version}` };

async function rivetScenarios(names) {
  const client = createClient({ endpoint: opts.endpoint, encoding: "bare" });
  const runKey = `bench-${Date.now().toString(36)}`;
  const keys = Array.from({ length: opts.actors }, (_, i) => `${runKey}-${i}`);
  const hotKey = `${runKey}-hot`;
  const handle = (key) => client[opts.actorName].getOrCreate(key);

  // Create every actor first (fanning out getOrCreate on new keys stalls the reference's engine).
  {
    const samples = new Samples();
    let errors = 0;
    const cpu = cpuWindow();
    const t0 = performance.now();
    log(`create: ${keys.length + 1} actors, ${opts.createConcurrency} at a time …`);
    await pool([...keys, hotKey], opts.createConcurrency, async (key) => {
      const s = performance.now();
      try {
        await handle(key).resolve();
        samples.add(performance.now() - s);
      } catch (e) {
        errors++;
        log(`create ${key} failed: ${e?.message ?? e}`);
      }
    });
    const elapsed = (performance.now() - t0) / 1000;
    const p = samples.percentiles();
    if (names.includes("create")) {
      emit({
        run: opts.run, commit: opts.commit || undefined, scenario: "create", contender: opts.contender,
        durability: opts.durability || undefined, generator: CLIENT.generator, load_generator: "node",
        transport: "http",
        actors: keys.length + 1, connections: null, in_flight: opts.createConcurrency,
        warmup_s: 0, measure_s: round(elapsed, 2), ops_per_s: round(samples.n / elapsed, 1),
        p50_ms: round(p.p50, 3), p90_ms: round(p.p90, 3), p99_ms: round(p.p99, 3),
        p999_ms: round(p.p999, 3), max_ms: round(p.max, 3), errors, samples: samples.n,
        ...cpu(), pinning: opts.pinning || undefined, cpus: os.cpus().length,
        load1: round(os.loadavg()[0], 2), node: process.version,
      });
    }
  }

  const openConns = async (targetKeys) => {
    const conns = targetKeys.map((k) => handle(k).connect());
    await pool(conns, 64, (c) => c.getCount()); // every socket open and Init received
    return conns;
  };
  const closeConns = (conns) => Promise.allSettled(conns.map((c) => c.dispose()));
  const ws = { name: "websocket", generator: CLIENT.generator };
  const http = { name: "http", generator: CLIENT.generator };

  for (const name of names) {
    if (name === "create") continue;
    if (name === "ws-seq") {
      const conns = await openConns([keys[0]]);
      await closedLoop({ scenario: name, transport: ws, targets: conns, inFlight: 1,
        call: (c) => c.increment(1), extra: { actors: 1 } });
      await closeConns(conns);
    } else if (name === "http-seq") {
      await closedLoop({ scenario: name, transport: http, targets: [handle(keys[0])], inFlight: 1,
        call: (h) => h.increment(1), extra: { actors: 1, connections: 1 } });
    } else if (name === "ws-64x1000") {
      // A connection is bound to one actor: one WebSocket per actor, `inFlight` calls in flight.
      const conns = await openConns(keys);
      await closedLoop({ scenario: name, transport: ws, targets: conns, inFlight: opts.inFlight,
        call: (c) => c.increment(1), extra: { actors: keys.length } });
      await closeConns(conns);
    } else if (name === "hot") {
      const conns = await openConns(Array.from({ length: opts.connections }, () => hotKey));
      await closedLoop({ scenario: name, transport: ws, targets: conns, inFlight: opts.inFlight,
        call: (c) => c.increment(1), extra: { actors: 1 } });
      await closeConns(conns);
    } else {
      throw new Error(`unknown scenario ${name}`);
    }
  }
  await client.dispose();
}

// ------------------------------------------------------------------------ raw echo scenarios

// The size of the official client's bare ActionRequest for increment(1) (version prefix, tag, id,
// name, CBOR args), so the echo moves as many bytes as the action does.
const PAYLOAD = Buffer.alloc(20, 7);

/** One `ws` socket to the echo server; `echo()` sends PAYLOAD and resolves on the next frame. */
class EchoSocket {
  static async open(url) {
    const s = new EchoSocket(new WebSocket(url));
    await new Promise((resolve, reject) => {
      s.ws.once("open", resolve);
      s.ws.once("error", reject);
    });
    return s;
  }
  constructor(ws) {
    this.ws = ws;
    this.ws.binaryType = "arraybuffer"; // as the official client sets it
    this.waiting = [];
    ws.on("message", (data) => {
      const w = this.waiting.shift();
      if (w) w.resolve(data);
    });
    ws.on("close", () => {
      for (const w of this.waiting.splice(0)) w.reject(new Error("echo socket closed"));
    });
  }
  echo() {
    return new Promise((resolve, reject) => {
      this.waiting.push({ resolve, reject });
      this.ws.send(PAYLOAD);
    }).then((data) => {
      if (data.byteLength !== PAYLOAD.length) throw new Error(`echo of ${data.byteLength} bytes`);
    });
  }
}

async function rawScenarios(names) {
  const wsUrl = `${opts.endpoint.replace(/^http/, "ws")}/ws`;
  const postUrl = `${opts.endpoint}/echo`;
  const ws = { name: "websocket", generator: `ws@${WS_VERSION}, node ${process.version}` };
  const http = { name: "http", generator: `fetch (undici), node ${process.version}` };
  const openSockets = async (n) => {
    const socks = [];
    await pool(Array.from({ length: n }), 64, async () => socks.push(await EchoSocket.open(wsUrl)));
    return socks;
  };
  const closeSockets = (socks) => socks.forEach((s) => s.ws.terminate());
  for (const name of names) {
    if (name === "raw-ws-seq") {
      const socks = await openSockets(1);
      await closedLoop({ scenario: name, transport: ws, targets: socks, inFlight: 1,
        call: (s) => s.echo() });
      closeSockets(socks);
    } else if (name === "raw-http-seq") {
      // as the official client's sendHttpRequest: a Request object, bare content type, body bytes
      const call = async () => {
        const res = await fetch(new globalThis.Request(postUrl, {
          method: "POST",
          headers: { "Content-Type": "application/octet-stream", "x-rivet-encoding": "bare" },
          body: PAYLOAD,
        }));
        const body = await res.arrayBuffer();
        if (!res.ok || body.byteLength !== PAYLOAD.length) throw new Error(`echo ${res.status}`);
      };
      await closedLoop({ scenario: name, transport: http, targets: [null], inFlight: 1, call,
        extra: { connections: 1 } });
    } else if (name === "raw-ws-64x1000" || name === "raw-ws-hot") {
      // the same shapes as ws-64x1000 (one socket per actor) and hot (`connections` sockets)
      const n = name === "raw-ws-hot" ? opts.connections : opts.actors;
      const socks = await openSockets(n);
      await closedLoop({ scenario: name, transport: ws, targets: socks, inFlight: opts.inFlight,
        call: (s) => s.echo() });
      closeSockets(socks);
    } else {
      throw new Error(`unknown scenario ${name}`);
    }
  }
}

// ----------------------------------------------------------------------------------- main

const names = opts.scenarios.split(",").filter(Boolean);
const raw = names.filter((n) => n.startsWith("raw-"));
const rivet = names.filter((n) => !n.startsWith("raw-"));
try {
  if (raw.length) await rawScenarios(raw);
  if (rivet.length) await rivetScenarios(rivet);
} catch (e) {
  log(`FAILED: ${e?.stack ?? e}`);
  process.exit(1);
}
process.exit(0);
