// Turns the JSON lines of bench.mjs into markdown tables, side by side per scenario:
//   node benchmarks/js/report.mjs benchmarks/results/<date>.jsonl > benchmarks/results/<date>.md
// Ratios are to the raw echo measured by the same generator in the same run: p50 ÷ raw p50 for the
// sequential rows, ops/s ÷ raw ops/s for the throughput rows.
import { readFileSync } from "node:fs";

const file = process.argv[2];
if (!file) {
  console.error("usage: node report.mjs RESULTS.jsonl");
  process.exit(2);
}
const rows = readFileSync(file, "utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l));
if (rows.length === 0) {
  console.log("# JavaScript client benchmark\n\nNo results.");
  process.exit(0);
}

const SCENARIOS = [
  ["ws-seq", "raw-ws-seq", "p50", "sequential `increment(1)` over `connect()` (one WebSocket)"],
  ["http-seq", "raw-http-seq", "p50", "sequential stateless `increment(1)` (HTTP)"],
  ["ws-64x1000", "raw-ws-64x1000", "ops", "one WebSocket per actor, 64 calls in flight"],
  ["hot", "raw-ws-hot", "ops", "64 WebSockets on one actor, 64 calls in flight"],
  ["create", null, null, "`getOrCreate(key).resolve()` on new keys before the scenarios"],
];
const CONTENDERS = ["raw-echo", "rivet4j-relaxed", "rivet4j-durable", "rivetkit-2.3.19"];
const order = (c) => (CONTENDERS.indexOf(c) < 0 ? CONTENDERS.length : CONTENDERS.indexOf(c));

const num = (x, d = 0) => (x === null || x === undefined ? "—"
  : x.toLocaleString("en-US", { minimumFractionDigits: d, maximumFractionDigits: d }));
const ms = (x) => (x === null || x === undefined ? "—" : x < 10 ? num(x, 2) : x < 100 ? num(x, 1) : num(x, 0));
const pct = (x) => (x === null || x === undefined ? "—" : `${Math.round(x * 100)}%`);

const first = rows[0];
const out = [];
out.push("# JavaScript client benchmark", "");
const generators = [...new Set(rows.map((r) => r.generator))].join("; ");
out.push(`Run ${first.run}, commit ${first.commit ?? "?"}; generators: ${generators}; `
  + `${first.cpus} CPUs, pinning: ${first.pinning ?? "none"}; load average (1 min) `
  + `${Math.min(...rows.map((r) => r.load1))}–${Math.max(...rows.map((r) => r.load1))} at the ends of the windows.`, "");
out.push("CPU columns: cores used during the measured window (1.00 = one core busy); others' CPU is the share "
  + "of all cores used by other processes (machine busy time minus server minus generator).", "");

out.push("| scenario | contender | generator | actors | conns | in flight | ops/s | p50 ms | p90 ms | p99 ms | "
  + "p99.9 ms | ratio to raw | errors | samples | server CPU | generator CPU | others' CPU |");
out.push("|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
const gen = (r) => r.load_generator ?? "node";
const GENERATORS = ["node", "java", "java-netty"];
for (const [scenario, rawScenario, basis] of SCENARIOS) {
  const group = rows.filter((r) => r.scenario === scenario || r.scenario === rawScenario)
    .sort((a, b) => GENERATORS.indexOf(gen(a)) - GENERATORS.indexOf(gen(b))
      || (a.scenario === rawScenario ? -1 : 0) - (b.scenario === rawScenario ? -1 : 0)
      || order(a.contender) - order(b.contender));
  for (const r of group) {
    const raw = rows.find((x) => x.scenario === rawScenario && gen(x) === gen(r));
    const generator = gen(r) === "java" ? "Java" : gen(r) === "java-netty" ? "Java (Netty)"
      : r.scenario.startsWith("raw-") ? "Node" : "official JS";
    let ratio = "—";
    const x = (v) => v.toFixed(v >= 100 ? 0 : v >= 10 ? 1 : 2);
    if (raw && r !== raw && basis === "p50" && raw.p50_ms) ratio = `${x(r.p50_ms / raw.p50_ms)}× p50`;
    if (raw && r !== raw && basis === "ops" && raw.ops_per_s) ratio = `${x(r.ops_per_s / raw.ops_per_s)}× ops/s`;
    out.push(`| ${r.scenario} | ${r.contender} | ${generator} | ${num(r.actors)} | ${num(r.connections)} | ${r.in_flight} | `
      + `${num(r.ops_per_s)} | ${ms(r.p50_ms)} | ${ms(r.p90_ms)} | ${ms(r.p99_ms)} | ${ms(r.p999_ms)} | ${ratio} | `
      + `${r.errors} | ${num(r.samples)} | ${num(r.server_cpu_cores, 2)} | ${num(r.generator_cpu_cores, 2)} | `
      + `${pct(r.others_cpu_share)} |`);
  }
}
out.push("");
out.push("Scenarios:", "");
for (const [scenario, rawScenario, , what] of SCENARIOS) {
  out.push(`- \`${scenario}\`: ${what}${rawScenario ? `; raw ceiling \`${rawScenario}\`` : ""}.`);
}
out.push("- `raw-*`: the same Node process with `ws` (the WebSocket the official client uses on Node 20) "
  + "or `fetch`, 20-byte messages to a bare Netty echo server (`EchoServerMain`).");
out.push("- Generator \"Java\": `NetworkBench --endpoint` (JDK `java.net.http`, hand-rolled bare protocol "
  + "frames, actors addressed by id) in the same scenario shapes; its ratios are to its own raw rows.");
if (rows.some((r) => gen(r) === "java-netty")) {
  out.push("- Generator \"Java (Netty)\": the same process's `NettyWsDriver` (Netty epoll client, 2 event "
    + "loops, the same request bytes and round-robin) for the throughput shapes; ratios to its own raw rows.");
}
const windows = [...new Set(rows.filter((r) => r.scenario !== "create")
  .map((r) => `${r.contender}: ${r.warmup_s} s warm-up + ${r.measure_s} s`))];
out.push(`- Windows: ${windows.join("; ")}.`);
const waited = rows.filter((r) => r.quiet_wait_s > 0.5);
if (waited.length) {
  out.push(`- Warm-ups extended until others' CPU fell below the threshold (BENCH_QUIET): `
    + `${waited.map((r) => `${r.scenario} ${r.contender} ${gen(r)} ${r.quiet_wait_s} s`).join(", ")}.`);
}
const errors = rows.filter((r) => r.first_errors);
if (errors.length) {
  out.push("", "First errors:", "");
  for (const r of errors) out.push(`- ${r.scenario} ${r.contender}: ${r.first_errors.join(" | ")}`);
}
console.log(out.join("\n"));
