// Turns the JSON lines of one benchmark run into markdown: the goals (goals.mjs), the conditions,
// then one table per suite — `js` (bench.mjs and NetworkBench --endpoint, side by side per
// scenario), `inprocess` (InProcessBench), `net` (NetworkBench, one JVM), `lifecycle`
// (LifecycleBench) and any other suite (e.g. `jmh`) in a generic table.
//
//   node benchmarks/js/report.mjs benchmarks/results/<date>.jsonl > benchmarks/results/<date>.md
//   node benchmarks/js/report.mjs FILE.jsonl --run=ID     the rows of run ID
//   node benchmarks/js/report.mjs FILE.jsonl --since=N    the rows after line N (one invocation of
//                                                         scripts/bench.sh, whatever their run ids)
//   node benchmarks/js/report.mjs FILE.jsonl --all        every row
// Default: the rows of the last line's run (a file gathers every run of a day).
//
// Ratios in the js table are to the raw echo measured by the same generator in the same run:
// p50 ÷ raw p50 for the sequential rows, ops/s ÷ raw ops/s for the throughput rows.
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { goalsTable } from "./goals.mjs";

/** Parses JSON lines and keeps the selected run's rows (see the head of this file). */
export function selectRows(text, { run = null, since = null, all = false } = {}) {
  const rows = text.split("\n").filter((l) => l.trim()).map((l) => JSON.parse(l));
  if (all) return rows;
  if (since !== null) return rows.slice(since);
  const id = run ?? rows.at(-1)?.run;
  return rows.filter((r) => r.run === id);
}

const suiteOf = (r) => r.suite ?? "js";
const num = (x, d = 0) => (x === null || x === undefined ? "—"
  : x.toLocaleString("en-US", { minimumFractionDigits: d, maximumFractionDigits: d }));
const ms = (x) => (x === null || x === undefined ? "—" : x < 10 ? num(x, 3) : x < 100 ? num(x, 1) : num(x, 0));
const pct = (x) => (x === null || x === undefined ? "—" : `${Math.round(x * 100)}%`);
const range = (xs, f = (x) => x) => {
  const v = xs.filter((x) => x !== null && x !== undefined && Number.isFinite(x));
  if (v.length === 0) return "—";
  const lo = Math.min(...v);
  const hi = Math.max(...v);
  return lo === hi ? f(lo) : `${f(lo)}–${f(hi)}`;
};
const uniq = (xs) => [...new Set(xs.filter((x) => x !== null && x !== undefined))];
const x2 = (v) => v.toFixed(v >= 100 ? 0 : v >= 10 ? 1 : 2);

// ------------------------------------------------------------------------------ js suite

const JS_SCENARIOS = [
  ["ws-seq", "raw-ws-seq", "p50", "sequential `increment(1)` over `connect()` (one WebSocket)"],
  ["http-seq", "raw-http-seq", "p50", "sequential stateless `increment(1)` (HTTP)"],
  ["ws-64x1000", "raw-ws-64x1000", "ops", "one WebSocket per actor, 64 calls in flight"],
  ["hot", "raw-ws-hot", "ops", "64 WebSockets on one actor, 64 calls in flight"],
  ["create", null, null, "`getOrCreate(key).resolve()` on new keys before the scenarios"],
];
const CONTENDERS = ["raw-echo", "rivet4j-relaxed", "rivet4j-durable", "rivetkit-2.3.19"];
const order = (c) => (CONTENDERS.indexOf(c) < 0 ? CONTENDERS.length : CONTENDERS.indexOf(c));
const gen = (r) => r.load_generator ?? "node";
const GENERATORS = ["node", "java", "java-netty"];

function jsSection(rows, out) {
  out.push("## Official JavaScript client and the Java generator, split (suite `js`)", "");
  out.push("| scenario | contender | generator | actors | conns | in flight | ops/s | p50 ms | p90 ms | p99 ms | "
    + "p99.9 ms | ratio to raw | errors | samples | server CPU | generator CPU | others' CPU |");
  out.push("|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
  for (const [scenario, rawScenario, basis] of JS_SCENARIOS) {
    const group = rows.filter((r) => r.scenario === scenario || r.scenario === rawScenario)
      .sort((a, b) => GENERATORS.indexOf(gen(a)) - GENERATORS.indexOf(gen(b))
        || (a.scenario === rawScenario ? -1 : 0) - (b.scenario === rawScenario ? -1 : 0)
        || order(a.contender) - order(b.contender));
    for (const r of group) {
      const raw = rows.find((x) => x.scenario === rawScenario && gen(x) === gen(r));
      const generator = gen(r) === "java" ? "Java" : gen(r) === "java-netty" ? "Java (Netty)"
        : r.scenario.startsWith("raw-") ? "Node" : "official JS";
      let ratio = "—";
      if (raw && r !== raw && basis === "p50" && raw.p50_ms) ratio = `${x2(r.p50_ms / raw.p50_ms)}× p50`;
      if (raw && r !== raw && basis === "ops" && raw.ops_per_s) ratio = `${x2(r.ops_per_s / raw.ops_per_s)}× ops/s`;
      out.push(`| ${r.scenario} | ${r.contender} | ${generator} | ${num(r.actors)} | ${num(r.connections)} | ${r.in_flight} | `
        + `${num(r.ops_per_s)} | ${ms(r.p50_ms)} | ${ms(r.p90_ms)} | ${ms(r.p99_ms)} | ${ms(r.p999_ms)} | ${ratio} | `
        + `${r.errors} | ${num(r.samples)} | ${num(r.server_cpu_cores, 2)} | ${num(r.generator_cpu_cores, 2)} | `
        + `${pct(r.others_cpu_share)} |`);
    }
  }
  out.push("", "Scenarios:", "");
  for (const [scenario, rawScenario, , what] of JS_SCENARIOS) {
    out.push(`- \`${scenario}\`: ${what}${rawScenario ? `; raw ceiling \`${rawScenario}\`` : ""}.`);
  }
  out.push("- `raw-*`: the same Node process with `ws` (the WebSocket the official client uses on Node 20) "
    + "or `fetch`, 20-byte messages to a bare Netty echo server (`EchoServerMain`).");
  out.push("- Generator \"Java\": `NetworkBench --endpoint` (JDK `java.net.http`, hand-rolled bare protocol "
    + "frames, actors addressed by id) in the same scenario shapes; its ratios are to its own raw rows.");
  if (rows.some((r) => gen(r) === "java-netty")) {
    out.push("- Generator \"Java (Netty)\": the same process's `NettyWsDriver` (Netty epoll client, one event "
      + "loop when pinned to one CPU, else two; the same request bytes and round-robin) for the throughput shapes; ratios to its own raw rows.");
  }
  out.push("- CPU columns: cores used during the measured window (1.00 = one core busy); others' CPU is the "
    + "share of all cores used by other processes (machine busy time minus server minus generator).");
  const waited = rows.filter((r) => r.quiet_wait_s > 0.5);
  if (waited.length) {
    out.push(`- Warm-ups extended until others' CPU fell below the threshold (BENCH_QUIET): `
      + `${waited.map((r) => `${r.scenario} ${r.contender} ${gen(r)} ${r.quiet_wait_s} s`).join(", ")}.`);
  }
  out.push("");
}

// ------------------------------------------------------------------------ inprocess suite

function inprocessSection(rows, out) {
  out.push("## In-process (suite `inprocess`, `InProcessBench`)", "");
  const loads = rows.filter((r) => r.transport === "in-process" && r.scenario !== "memory");
  if (loads.length) {
    out.push("| scenario | durability | actors | in flight | open loop at | actions/s | p50 ms | p90 ms | p99 ms | "
      + "p99.9 ms | max ms | batches/fsync | errors | samples | JVM CPU | others' CPU |");
    out.push("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for (const r of loads) {
      out.push(`| ${r.scenario} | ${r.durability} | ${num(r.actors)} | ${num(r.in_flight)} | `
        + `${r.rate_per_s ? `${num(r.rate_per_s)} /s` : "—"} | ${num(r.ops_per_s)} | ${ms(r.p50_ms)} | ${ms(r.p90_ms)} | `
        + `${ms(r.p99_ms)} | ${ms(r.p999_ms)} | ${ms(r.max_ms)} | ${num(r.batches_per_fsync, 1)} | ${r.errors} | `
        + `${num(r.samples)} | ${num(r.jvm_cpu_cores, 2)} | ${pct(r.others_cpu_share)} |`);
    }
    out.push("");
  }
  for (const m of rows.filter((r) => r.scenario === "memory")) {
    out.push(`Memory (${num(m.actors)} counters, relaxed; live heap from the class histogram): `
      + `**${num(m.heap_bytes_per_actor)} B per awake idle actor** (used-heap delta ${num(m.used_heap_bytes_per_actor)} B), `
      + `${num(m.heap_bytes_per_sleeping_actor)} B per sleeping actor right after sleep, `
      + `${num(m.heap_bytes_per_sleeping_actor_later)} B after the action timeout.`, "");
  }
  fsyncLines(rows, out);
}

function fsyncLines(rows, out) {
  for (const f of rows.filter((r) => r.scenario === "fsync")) {
    out.push(`fsync (${f.generator}): p50 ${ms(f.p50_ms)} ms, p99 ${ms(f.p99_ms)} ms, max ${ms(f.max_ms)} ms `
      + `over ${num(f.samples)} samples.`, "");
  }
}

// ------------------------------------------------------------------------------ net suite

/** The raw row a net row compares with: same transport; sequential, or the same socket count. */
function netRaw(rows, r) {
  if (r.contender === "raw-echo") return null;
  return rows.find((x) => x.contender === "raw-echo" && x.transport === r.transport
    && (r.in_flight === 1 ? x.in_flight === 1 : x.in_flight > 1 && x.connections === r.connections)) ?? null;
}

function netSection(rows, out) {
  out.push("## Network, one JVM (suite `net`, `NetworkBench`)", "");
  out.push("Server and JDK `java.net.http` generator in one JVM on all cores (not pinned); "
    + "`client-*` rows call through `rivet4j-client`.", "");
  out.push("| scenario | contender | transport | sockets | in flight | ops/s | p50 ms | p90 ms | p99 ms | p99.9 ms | "
    + "ratio to raw | errors | samples | JVM CPU | others' CPU |");
  out.push("|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
  for (const r of rows.filter((x) => x.scenario !== "fsync")) {
    const raw = netRaw(rows, r);
    const ratio = !raw ? "—" : r.in_flight === 1 ? `${x2(r.p50_ms / raw.p50_ms)}× p50`
      : `${x2(r.ops_per_s / raw.ops_per_s)}× ops/s`;
    out.push(`| ${r.scenario} | ${r.contender} | ${r.transport} | ${num(r.connections)} | ${num(r.in_flight)} | `
      + `${num(r.ops_per_s)} | ${ms(r.p50_ms)} | ${ms(r.p90_ms)} | ${ms(r.p99_ms)} | ${ms(r.p999_ms)} | ${ratio} | `
      + `${r.errors} | ${num(r.samples)} | ${num(r.jvm_cpu_cores, 2)} | ${pct(r.others_cpu_share)} |`);
  }
  out.push("");
  fsyncLines(rows, out);
}

// ------------------------------------------------------------------------ lifecycle suite

function lifecycleSection(rows, out) {
  out.push("## Lifecycle, fan-out, chat, startup and memory (suite `lifecycle`, `LifecycleBench`)", "");
  const lat = rows.filter((r) => r.scenario !== "startup" && r.scenario !== "ws-memory");
  if (lat.length) {
    out.push("| scenario | variant | durability | in flight | samples | p50 ms | p90 ms | p99 ms | p99.9 ms | max ms | "
      + "throughput | errors | JVM CPU | others' CPU |");
    out.push("|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for (const r of lat) {
      out.push(`| ${r.scenario} | ${r.variant} | ${r.durability} | ${num(r.in_flight)} | ${num(r.samples)} | `
        + `${ms(r.p50_ms)} | ${ms(r.p90_ms)} | ${ms(r.p99_ms)} | ${ms(r.p999_ms)} | ${ms(r.max_ms)} | `
        + `${num(r.ops_per_s)} ${r.unit} | ${r.errors} | ${num(r.jvm_cpu_cores, 2)} | ${pct(r.others_cpu_share)} |`);
    }
    out.push("");
  }
  const starts = rows.filter((r) => r.scenario === "startup");
  if (starts.length) {
    out.push("| startup: child JVM flags | starts | first action ms (median) | min–max | ready ms | idle RSS MB | "
      + "heap used MB | errors | others' CPU |");
    out.push("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
    for (const r of starts) {
      out.push(`| \`${r.jvm_flags}\` | ${r.samples} | ${num(r.startup_ms)} | ${num(r.startup_min_ms)}–${num(r.startup_max_ms)} | `
        + `${num(r.ready_ms)} | ${num(r.rss_mb, 1)} | ${num(r.heap_used_mb, 1)} | ${r.errors} | ${pct(r.others_cpu_share)} |`);
    }
    out.push("");
  }
  const ws = rows.filter((r) => r.scenario === "ws-memory");
  if (ws.length) {
    out.push("| idle WebSockets | actors | live heap B/conn | used heap B/conn | RSS B/conn | opens/s | errors | others' CPU |");
    out.push("|---:|---:|---:|---:|---:|---:|---:|---:|");
    for (const r of ws) {
      out.push(`| ${num(r.connections)} | ${num(r.actors)} | ${num(r.heap_bytes_per_connection)} | `
        + `${num(r.used_heap_bytes_per_connection)} | ${num(r.rss_bytes_per_connection)} | ${num(r.opens_per_s)} | `
        + `${r.errors} | ${pct(r.others_cpu_share)} |`);
    }
    out.push("");
  }
}

// --------------------------------------------------------------------------- other suites

function otherSection(suite, rows, out) {
  out.push(`## Suite \`${suite}\``, "");
  out.push("| scenario | contender | generator | ops/s | p50 ms | p90 ms | p99 ms | p99.9 ms | errors | samples |");
  out.push("|---|---|---|---:|---:|---:|---:|---:|---:|---:|");
  for (const r of rows) {
    out.push(`| ${r.scenario} | ${r.contender ?? "—"} | ${r.generator ?? "—"} | ${num(r.ops_per_s)} | ${ms(r.p50_ms)} | `
      + `${ms(r.p90_ms)} | ${ms(r.p99_ms)} | ${ms(r.p999_ms)} | ${r.errors ?? "—"} | ${num(r.samples)} |`);
  }
  out.push("");
}

// ---------------------------------------------------------------------------------- report

const SUITES = ["inprocess", "net", "lifecycle", "js"];
const TITLES = { inprocess: "in-process", net: "network, one JVM", lifecycle: "lifecycle", js: "official client + Java generator, split" };

/** The whole report of `rows` (one run) as markdown. */
export function render(rows) {
  if (rows.length === 0) return "# Benchmarks\n\nNo results.";
  const out = [];
  const runs = uniq(rows.map((r) => r.run));
  out.push(`# Benchmarks: run ${runs.join(", ")}`, "");
  const suites = uniq(rows.map(suiteOf)).sort((a, b) =>
    (SUITES.indexOf(a) < 0 ? 99 : SUITES.indexOf(a)) - (SUITES.indexOf(b) < 0 ? 99 : SUITES.indexOf(b)));
  out.push(`Commit ${uniq(rows.map((r) => r.commit)).join(", ") || "?"}; ${range(rows.map((r) => r.cpus))} CPUs; `
    + `load average (1 min) ${range(rows.map((r) => r.load1), (v) => v.toFixed(2))} at the ends of the windows; `
    + `others' CPU ${range(rows.map((r) => r.others_cpu_share), pct)} of the machine during them.`, "");

  out.push("## Goals", "");
  out.push(goalsTable(rows), "");
  out.push("Ratios are Rivet4j ÷ the other in the goal's unit (below 1 is faster for a latency, above 1 is "
    + "more for a throughput). Raw ceiling: a bare Netty echo measured by the same generator in the same "
    + "run. RivetKit: the official client's rows against RivetKit 2.3.19 (scaled down: see the js suite).", "");

  out.push("## Conditions", "");
  for (const s of suites) {
    const rs = rows.filter((r) => suiteOf(r) === s);
    const windows = uniq(rs.filter((r) => r.measure_s !== null && r.measure_s !== undefined && r.scenario !== "create")
      .map((r) => `${r.warmup_s ?? 0} s + ${r.measure_s} s`));
    const pinning = uniq(rs.map((r) => r.pinning));
    out.push(`- \`${s}\` (${TITLES[s] ?? s}): ${rs.length} rows; windows (warm-up + measured) ${windows.join(", ") || "—"}; `
      + `pinning ${pinning.join(", ") || "none"}; generators: ${uniq(rs.map((r) => r.generator)).join("; ")}.`);
  }
  out.push("");

  for (const s of suites) {
    const rs = rows.filter((r) => suiteOf(r) === s);
    if (s === "js") jsSection(rs, out);
    else if (s === "inprocess") inprocessSection(rs, out);
    else if (s === "net") netSection(rs, out);
    else if (s === "lifecycle") lifecycleSection(rs, out);
    else otherSection(s, rs, out);
  }
  const errors = rows.filter((r) => r.errors > 0 || r.first_errors);
  if (errors.length) {
    out.push("## Errors", "");
    for (const r of errors) {
      out.push(`- ${suiteOf(r)} ${r.scenario} ${r.contender}: ${r.errors} error(s)`
        + `${r.first_errors ? `; first: ${r.first_errors.join(" | ")}` : ""}`);
    }
    out.push("");
  }
  return out.join("\n");
}

function main(argv) {
  const file = argv.find((a) => !a.startsWith("--"));
  if (!file) {
    console.error("usage: node report.mjs RESULTS.jsonl [--run=ID | --since=LINE | --all]");
    process.exit(2);
  }
  const opt = (name) => argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? null;
  const since = opt("since");
  const rows = selectRows(readFileSync(file, "utf8"),
    { run: opt("run"), since: since === null ? null : Number(since), all: argv.includes("--all") });
  console.log(render(rows));
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2));
}
