// The goals of issue 7, each checked against the rows of one run (benchmarks/results/<date>.jsonl,
// see report.mjs): what was measured, the target, whether it is met, and how it compares with the
// raw ceiling (a bare Netty echo measured by the same generator in the same run) and with RivetKit
// 2.3.19 (measured by the official client in the same run) where such rows exist.
//
// Ratios are Rivet4j ÷ the other, in the goal's unit: below 1 is faster for a latency, above 1
// is more for a throughput.

/** Rows of the official-client suite have no `suite` field in older files. */
const suiteOf = (r) => r.suite ?? "js";
const gen = (r) => r.load_generator ?? "node";
const RIVETKIT = "rivetkit-2.3.19";

/** Finds the first row with every given field equal (`suite` defaults as above). */
function find(rows, where) {
  return rows.find((r) => Object.entries(where).every(([k, v]) =>
    (k === "suite" ? suiteOf(r) : k === "load_generator" ? gen(r) : r[k]) === v)) ?? null;
}

export const fmtMs = (x) => (x === null || x === undefined ? "—"
  : x < 1 ? `${Math.round(x * 1000)} µs` : x < 100 ? `${x.toFixed(2)} ms`
    : `${Math.round(x).toLocaleString("en-US")} ms`);
export const fmtRate = (x) => (x === null || x === undefined ? "—"
  : x < 10 ? `${x.toFixed(1)} /s` : `${Math.round(x).toLocaleString("en-US")} /s`);
export const fmtRatio = (x) => (x === null || x === undefined || !Number.isFinite(x) ? "—"
  : `${x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x >= 0.01 ? x.toFixed(2) : x.toPrecision(1)}×`);
const bytes = (x) => (x === null || x === undefined ? "—" : `${Math.round(x).toLocaleString("en-US")} B`);

/**
 * The network rows: the split run (suite js, Java generator on its own core) when present, else
 * the one-JVM run (suite net). `js` and `net` name the scenario in each suite; `gens` are the
 * Java generators in order of preference ("java-netty": the Netty one, whose net-suite rows
 * carry the suffix -netty).
 */
function network(rows, js, net, contender, gens = ["java"]) {
  const label = (g) => (g === "java-netty" ? "Java (Netty) generator" : "Java generator");
  for (const g of gens) {
    const j = find(rows, { suite: "js", load_generator: g, scenario: js.scenario, contender });
    const jr = find(rows, { suite: "js", load_generator: g, scenario: js.raw, contender: "raw-echo" });
    if (j) {
      return { row: j, raw: jr, source: `js suite, ${label(g)} (${j.pinning ?? "not pinned"}): `
        + `\`${js.scenario}\` vs \`${js.raw}\`` };
    }
  }
  for (const g of gens) {
    const suffix = g === "java-netty" ? "-netty" : "";
    const n = find(rows, { suite: "net", scenario: net.scenario + suffix, contender });
    const nr = find(rows, { suite: "net", scenario: net.raw + suffix, contender: "raw-echo" });
    if (n) {
      return { row: n, raw: nr, source: `net suite, one JVM (not pinned)${suffix ? `, ${label(g)}` : ""}: `
        + `\`${net.scenario + suffix}\` vs \`${net.raw + suffix}\`` };
    }
  }
  return { row: null, raw: null, source: "not measured" };
}

/** The official client's Rivet4j row and RivetKit's row of one scenario. */
function rivetkit(rows, scenario, contender) {
  return {
    ours: find(rows, { suite: "js", load_generator: "node", scenario, contender }),
    theirs: find(rows, { suite: "js", load_generator: "node", scenario, contender: RIVETKIT }),
  };
}

function vsRivetkit(pair, field, fmt, note = "") {
  if (!pair.ours || !pair.theirs || !pair.theirs[field] || pair.ours[field] === null) return "—";
  return `${fmtRatio(pair.ours[field] / pair.theirs[field])} (${fmt(pair.ours[field])} vs `
    + `${fmt(pair.theirs[field])}${note})`;
}

const missing = (goal, target) => ({ goal, measured: "not measured", target, met: null, raw: "—",
  rivetkit: "—", source: "—" });


/** Every goal as { goal, measured, target, met (true/false/null), raw, rivetkit, source }. */
export function goals(rows) {
  const out = [];
  const fsync = find(rows, { suite: "inprocess", scenario: "fsync" })
    ?? find(rows, { suite: "net", scenario: "fsync" });

  // ------------------------------------------------------------------ latency over the network
  const wsSeq = { scenario: "ws-seq", raw: "raw-ws-seq" };
  const wsNet = { scenario: "ws-action", raw: "ws-echo" };
  const httpSeq = { scenario: "http-seq", raw: "raw-http-seq" };
  const httpNet = { scenario: "http-action", raw: "http-echo" };
  {
    const g = "Relaxed: WebSocket action p50 ≤ 1.5× raw echo p50";
    const { row, raw, source } = network(rows, wsSeq, wsNet, "rivet4j-relaxed");
    if (!row || !raw) out.push(missing(g, "≤ 1.5× raw p50"));
    else out.push({ goal: g, measured: fmtMs(row.p50_ms), target: `≤ ${fmtMs(1.5 * raw.p50_ms)}`,
      met: row.p50_ms <= 1.5 * raw.p50_ms, raw: `${fmtRatio(row.p50_ms / raw.p50_ms)} (raw ${fmtMs(raw.p50_ms)})`,
      rivetkit: vsRivetkit(rivetkit(rows, "ws-seq", "rivet4j-relaxed"), "p50_ms", fmtMs, "; official client"),
      source });
  }
  {
    const g = "Relaxed: WebSocket action p99 ≤ 250 µs (Java generator)";
    const { row, raw, source } = network(rows, wsSeq, wsNet, "rivet4j-relaxed");
    if (!row) out.push(missing(g, "≤ 250 µs"));
    else out.push({ goal: g, measured: fmtMs(row.p99_ms), target: "≤ 250 µs", met: row.p99_ms <= 0.25,
      raw: raw ? `${fmtRatio(row.p99_ms / raw.p99_ms)} (raw ${fmtMs(raw.p99_ms)})` : "—",
      rivetkit: vsRivetkit(rivetkit(rows, "ws-seq", "rivet4j-relaxed"), "p99_ms", fmtMs, "; official client"),
      source });
  }
  {
    const g = "Relaxed: HTTP action p50 ≤ 2× raw HTTP echo p50";
    const { row, raw, source } = network(rows, httpSeq, httpNet, "rivet4j-relaxed");
    if (!row || !raw) out.push(missing(g, "≤ 2× raw p50"));
    else out.push({ goal: g, measured: fmtMs(row.p50_ms), target: `≤ ${fmtMs(2 * raw.p50_ms)}`,
      met: row.p50_ms <= 2 * raw.p50_ms, raw: `${fmtRatio(row.p50_ms / raw.p50_ms)} (raw ${fmtMs(raw.p50_ms)})`,
      rivetkit: vsRivetkit(rivetkit(rows, "http-seq", "rivet4j-relaxed"), "p50_ms", fmtMs, "; official client"),
      source });
  }
  {
    const g = "Durable: WebSocket increment p50 ≤ raw p50 + 2 × fsync p50";
    const { row, raw, source } = network(rows, wsSeq, wsNet, "rivet4j-durable");
    if (!row || !raw || !fsync) out.push(missing(g, "≤ raw + 2 × fsync"));
    else {
      const target = raw.p50_ms + 2 * fsync.p50_ms;
      out.push({ goal: g, measured: fmtMs(row.p50_ms),
        target: `≤ ${fmtMs(target)} (${fmtMs(raw.p50_ms)} + 2 × ${fmtMs(fsync.p50_ms)})`,
        met: row.p50_ms <= target, raw: `${fmtRatio(row.p50_ms / raw.p50_ms)} (raw ${fmtMs(raw.p50_ms)})`,
        rivetkit: vsRivetkit(rivetkit(rows, "ws-seq", "rivet4j-durable"), "p50_ms", fmtMs, "; official client"),
        source: `${source}; fsync from the ${suiteOf(fsync)} suite` });
    }
  }

  // --------------------------------------------------------------- throughput over the network
  const many = { scenario: "ws-64x1000", raw: "raw-ws-64x1000" };
  const hot = { scenario: "hot", raw: "raw-ws-hot" };
  const manyNet = (rs) => {
    const r = rs.find((x) => suiteOf(x) === "net" && /^ws-\d+-actors$/.test(x.scenario));
    return r ? { scenario: r.scenario, raw: `ws-echo-${r.connections}c` } : { scenario: "ws-1000-actors", raw: "ws-echo-1000c" };
  };
  const hotNet = (rs) => {
    const r = rs.find((x) => suiteOf(x) === "net" && x.scenario === "ws-hot-actor");
    return { scenario: "ws-hot-actor", raw: `ws-echo-${r ? r.connections : 64}c` };
  };
  for (const [g, shape, netShape, contender, goal, rkScenario, rkNote] of [
    ["Relaxed: actions/s, 1,000 actors, 64 in flight", many, manyNet(rows), "rivet4j-relaxed", 60_000, "ws-64x1000", "; official client, RivetKit 10 actors"],
    ["Relaxed: actions/s, one hot actor", hot, hotNet(rows), "rivet4j-relaxed", 25_000, "hot", "; official client"],
    ["Durable: actions/s, 1,000 actors, 64 in flight", many, manyNet(rows), "rivet4j-durable", 15_000, "ws-64x1000", "; official client, RivetKit 10 actors"],
    ["Durable: actions/s, one hot actor", hot, hotNet(rows), "rivet4j-durable", 10_000, "hot", "; official client"],
  ]) {
    const { row, raw, source } = network(rows, shape, netShape, contender, ["java-netty", "java"]);
    const target = `≥ ${fmtRate(goal)}`;
    if (!row) { out.push(missing(g, target)); continue; }
    out.push({ goal: g, measured: fmtRate(row.ops_per_s), target, met: row.ops_per_s >= goal,
      raw: raw ? `${fmtRatio(row.ops_per_s / raw.ops_per_s)} (raw ${fmtRate(raw.ops_per_s)})` : "—",
      rivetkit: vsRivetkit(rivetkit(rows, rkScenario, contender), "ops_per_s", fmtRate, rkNote),
      source: `${source}; ${row.connections} connections, ${row.in_flight} in flight` });
  }

  // ------------------------------------------------------------------------- durable acks p99
  {
    const g = "Durable: acks p99 ≤ 5 ms at 15,000 acked changes/s, 1,000 actors";
    const durable = rows.filter((r) => suiteOf(r) === "inprocess" && r.scenario === "durable-1000");
    const open = durable.find((r) => r.rate_per_s === 15_000);
    const closed = durable.filter((r) => !r.rate_per_s && r.ops_per_s >= 15_000)
      .sort((a, b) => a.in_flight - b.in_flight)[0];
    const row = open ?? closed;
    if (!row) out.push(missing(g, "≤ 5 ms"));
    else {
      const rateOk = open ? row.ops_per_s >= 0.97 * open.rate_per_s : true;
      out.push({ goal: g, measured: `${fmtMs(row.p99_ms)} at ${fmtRate(row.ops_per_s)}`, target: "≤ 5 ms",
        met: row.p99_ms <= 5 && rateOk, raw: "—", rivetkit: "—",
        source: open ? `inprocess suite, open loop at ${fmtRate(open.rate_per_s)} (latency from the intended start), ${row.actors} actors`
          : `inprocess suite, closed loop, ${row.in_flight} in flight (no open-loop row)` });
    }
  }

  // ------------------------------------------------------------------------------- lifecycle
  const lc = (scenario, pred = () => true) => rows.find((r) => suiteOf(r) === "lifecycle"
    && r.scenario === scenario && pred(r)) ?? null;
  for (const [scenario, g, limit] of [
    ["create", "Cold create + first action p50", 2],
    ["create-db", "… with a one-table database + first query", 2],
    ["wake", "Wake + first action p50", 1],
    ["wake-db", "… with a database + first query", 1],
  ]) {
    const row = lc(scenario, (r) => r.in_flight === 1);
    if (!row) { out.push(missing(g, `≤ ${fmtMs(limit)}`)); continue; }
    out.push({ goal: g, measured: fmtMs(row.p50_ms), target: `≤ ${fmtMs(limit)}`, met: row.p50_ms <= limit,
      raw: "—", rivetkit: "—", source: `lifecycle suite, in-process, sequential (${row.durability})` });
  }
  {
    const g = "Creates/s (concurrent creators)";
    const row = lc("create", (r) => r.in_flight > 1);
    if (!row) out.push(missing(g, "≥ 2,000 /s"));
    else {
      const pair = rivetkit(rows, "create", "rivet4j-durable");
      out.push({ goal: g, measured: fmtRate(row.ops_per_s), target: "≥ 2,000 /s", met: row.ops_per_s >= 2000,
        raw: "—",
        rivetkit: pair.ours && pair.theirs ? `${fmtRatio(pair.ours.ops_per_s / pair.theirs.ops_per_s)} over HTTP `
          + `(${fmtRate(pair.ours.ops_per_s)} vs ${fmtRate(pair.theirs.ops_per_s)}; official client, `
          + `${pair.ours.in_flight} vs ${pair.theirs.in_flight} at a time)` : "—",
        source: `lifecycle suite, in-process, ${row.in_flight} creators (${row.durability})` });
    }
  }
  for (const mode of ["relaxed", "durable"]) {
    const row = lc("broadcast", (r) => r.durability === mode);
    const subs = row?.connections ?? 1000;
    const g1 = `Broadcast deliveries/s (${mode})`;
    const g2 = `${subs.toLocaleString("en-US")}-subscriber fan-out p99 (${mode})`;
    if (!row) { out.push(missing(g1, "≥ 100,000 /s"), missing(g2, "≤ 30 ms")); continue; }
    const source = `lifecycle suite, in-process connections, one increment at a time`;
    out.push({ goal: g1, measured: fmtRate(row.ops_per_s), target: "≥ 100,000 /s", met: row.ops_per_s >= 100_000,
      raw: "—", rivetkit: "—", source });
    out.push({ goal: g2, measured: fmtMs(row.p99_ms), target: "≤ 30 ms", met: row.p99_ms <= 30,
      raw: "—", rivetkit: "—", source });
  }

  // ---------------------------------------------------------------------------------- memory
  const mem = find(rows, { suite: "inprocess", scenario: "memory" });
  if (!mem) {
    out.push(missing("Heap per awake idle actor", "≤ 2,048 B"),
      missing("Heap per sleeping actor", "0 B (≤ 16 B noise)"));
  } else {
    const source = `inprocess suite, ${mem.actors.toLocaleString("en-US")} counters, class histogram`;
    out.push({ goal: "Heap per awake idle actor", measured: bytes(mem.heap_bytes_per_actor), target: "≤ 2,048 B",
      met: mem.heap_bytes_per_actor <= 2048, raw: "—", rivetkit: "—", source });
    const later = mem.heap_bytes_per_sleeping_actor_later ?? mem.heap_bytes_per_sleeping_actor;
    const more = mem.heap_bytes_per_more_sleeping_actor;
    if (more != null) { // the marginal cost: more actors put to sleep a wave at a time
      out.push({ goal: "Heap per sleeping actor", measured: `${more.toFixed(1)} B`, target: "0 B (< 1 B)",
        met: more < 1, raw: "—", rivetkit: "—",
        source: `${source}: ${mem.actors.toLocaleString("en-US")} more actors, ${mem.sleeping_wave} awake at a time;`
          + ` ${bytes(later)} per actor after ${mem.actors.toLocaleString("en-US")} were awake at once (table capacity)` });
    } else {
      out.push({ goal: "Heap per sleeping actor", measured: bytes(later), target: "0 B (≤ 16 B noise)",
        met: later <= 16, raw: "—", rivetkit: "—", source: `${source}, after the action timeout` });
    }
  }
  const ws = lc("ws-memory");
  if (!ws) out.push(missing("Heap per idle WebSocket", "≤ 4,096 B"));
  else {
    out.push({ goal: "Heap per idle WebSocket", measured: bytes(ws.heap_bytes_per_connection), target: "≤ 4,096 B",
      met: ws.heap_bytes_per_connection <= 4096, raw: "—", rivetkit: "—",
      source: `lifecycle suite, ${ws.connections.toLocaleString("en-US")} sockets, server JVM \`${ws.jvm_flags}\`` });
  }
  const startups = rows.filter((r) => suiteOf(r) === "lifecycle" && r.scenario === "startup");
  if (startups.length === 0) out.push(missing("Startup to first served action", "≤ 1,000 ms"), missing("Idle RSS after startup", "≤ 150 MB"));
  for (const s of startups) {
    out.push({ goal: `Startup to first served action [\`${s.jvm_flags}\`]`, measured: fmtMs(s.startup_ms),
      target: "≤ 1,000 ms", met: s.startup_ms <= 1000, raw: "—", rivetkit: "—",
      source: `lifecycle suite, median of ${s.samples} child JVM starts` });
  }
  for (const s of startups) {
    out.push({ goal: `Idle RSS after startup [\`${s.jvm_flags}\`]`, measured: `${s.rss_mb.toFixed(1)} MB`,
      target: "≤ 150 MB", met: s.rss_mb <= 150, raw: "—", rivetkit: "—",
      source: `lifecycle suite, median of ${s.samples} starts` });
  }
  return out;
}

/** The goals as a markdown table. */
export function goalsTable(rows) {
  const lines = [
    "| goal | measured | target | met? | ratio to raw ceiling | ratio to RivetKit | source |",
    "|---|---:|---:|---|---:|---:|---|",
  ];
  for (const g of goals(rows)) {
    const met = g.met === null ? "—" : g.met ? "yes" : "**no**";
    lines.push(`| ${g.goal} | ${g.measured} | ${g.target} | ${met} | ${g.raw} | ${g.rivetkit} | ${g.source} |`);
  }
  return lines.join("\n");
}
