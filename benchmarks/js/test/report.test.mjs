// node --test benchmarks/js/test/   (scripts/test.sh runs it): the report and its goals table on a
// fixture of two runs of one day (fixture.jsonl: an earlier run's two rows, then a run of every
// suite with round numbers).
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { goals, goalsTable } from "../goals.mjs";
import { render, selectRows } from "../report.mjs";

const text = readFileSync(new URL("./fixture.jsonl", import.meta.url), "utf8");
const RUN = "2026-11-24T10:00:00Z";
const EARLIER = "2026-11-24T09:00:00Z";
const rows = selectRows(text);
const byGoal = Object.fromEntries(goals(rows).map((g) => [g.goal, g]));

test("the default selection is the last line's run; --since and --run select too", () => {
  assert.equal(rows.length, 26);
  assert.ok(rows.every((r) => r.run === RUN));
  assert.deepEqual(selectRows(text, { since: 2 }), rows);
  assert.deepEqual(selectRows(text, { run: EARLIER }).map((r) => r.scenario), ["ws-seq", "raw-ws-seq"]);
  assert.equal(selectRows(text, { all: true }).length, 28);
});

test("latency goals compare with the raw echo of the same generator and with RivetKit", () => {
  assert.deepEqual(byGoal["Relaxed: WebSocket action p50 ≤ 1.5× raw echo p50"], {
    goal: "Relaxed: WebSocket action p50 ≤ 1.5× raw echo p50",
    measured: "66 µs",
    target: "≤ 84 µs",
    met: true,
    raw: "1.18× (raw 56 µs)",
    rivetkit: "0.002× (83 µs vs 43.90 ms; official client)",
    source: "js suite, Java generator (server cpu 0, generator cpu 1): `ws-seq` vs `raw-ws-seq`",
  });
  const p99 = byGoal["Relaxed: WebSocket action p99 ≤ 250 µs (Java generator)"];
  assert.equal(p99.measured, "200 µs");
  assert.equal(p99.met, true);
  const http = byGoal["Relaxed: HTTP action p50 ≤ 2× raw HTTP echo p50"];
  assert.equal(http.target, "≤ 182 µs");
  assert.equal(http.met, true);
  assert.equal(http.rivetkit, "—"); // no RivetKit http-seq row in the fixture
});

test("the durable latency target is raw p50 + 2 × the in-process fsync p50", () => {
  const g = byGoal["Durable: WebSocket increment p50 ≤ raw p50 + 2 × fsync p50"];
  assert.equal(g.measured, "300 µs");
  assert.equal(g.target, "≤ 456 µs (56 µs + 2 × 200 µs)");
  assert.equal(g.met, true);
  assert.match(g.source, /fsync from the inprocess suite$/);
});

test("throughput goals: ratio to raw ops/s, a miss is a miss", () => {
  const many = byGoal["Relaxed: actions/s, 1,000 actors, 64 in flight"];
  assert.equal(many.measured, "55,266 /s");
  assert.equal(many.met, false);
  assert.equal(many.raw, "0.76× (raw 72,863 /s)");
  const hot = byGoal["Durable: actions/s, one hot actor"];
  assert.equal(hot.measured, "9,000 /s");
  assert.equal(hot.target, "≥ 10,000 /s");
  assert.equal(hot.met, false);
});

test("durable acks at 15k/s come from the open-loop in-process row", () => {
  const g = byGoal["Durable: acks p99 ≤ 5 ms at 15,000 acked changes/s, 1,000 actors"];
  assert.equal(g.measured, "3.20 ms at 14,990 /s");
  assert.equal(g.met, true);
});

test("lifecycle and memory goals; what was not measured says so", () => {
  assert.equal(byGoal["Cold create + first action p50"].measured, "274 µs");
  assert.equal(byGoal["Cold create + first action p50"].met, true);
  assert.equal(byGoal["Wake + first action p50"].met, false);
  const wakeDb = byGoal["… with a database + first query"];
  assert.equal(wakeDb.measured, "not measured");
  assert.equal(wakeDb.met, null);
  assert.equal(byGoal["Creates/s (concurrent creators)"].rivetkit,
    "56.8× over HTTP (454 /s vs 8.0 /s; official client, 16 vs 1 at a time)");
  assert.equal(byGoal["Broadcast deliveries/s (relaxed)"].met, true);
  assert.equal(byGoal["Broadcast deliveries/s (durable)"].measured, "not measured");
  assert.equal(byGoal["Heap per awake idle actor"].measured, "1,054 B");
  assert.equal(byGoal["Heap per sleeping actor"].met, false); // 127 B
  assert.equal(byGoal["Heap per idle WebSocket"].met, true);
  assert.equal(byGoal["Startup to first served action [`-Xms256m -XX:+UseZGC`]"].measured, "876 ms");
  assert.equal(byGoal["Idle RSS after startup [`-Xms256m -XX:+UseZGC`]"].measured, "146.8 MB");
});

test("without the split run the network goals fall back to the one-JVM rows", () => {
  const net = [
    { run: RUN, suite: "net", scenario: "ws-echo", contender: "raw-echo", transport: "websocket", p50_ms: 0.06, p99_ms: 0.11, in_flight: 1 },
    { run: RUN, suite: "net", scenario: "ws-action", contender: "rivet4j-relaxed", transport: "websocket", p50_ms: 0.063, p99_ms: 0.14, in_flight: 1 },
  ];
  const g = goals(net).find((x) => x.goal.startsWith("Relaxed: WebSocket action p50"));
  assert.equal(g.met, true);
  assert.equal(g.raw, "1.05× (raw 60 µs)");
  assert.equal(g.source, "net suite, one JVM (not pinned): `ws-action` vs `ws-echo`");
});

test("the report has the goals, one section per suite and nothing of the earlier run", () => {
  const md = render(rows);
  assert.ok(md.startsWith(`# Benchmarks: run ${RUN}\n`));
  assert.ok(md.includes(goalsTable(rows)));
  for (const heading of ["## Goals", "## Conditions", "## In-process (suite `inprocess`",
    "## Lifecycle, fan-out, chat, startup and memory", "## Official JavaScript client", "## Suite `jmh`"]) {
    assert.ok(md.includes(heading), heading);
  }
  assert.ok(md.includes("| ProtocolCodecBench.encodeBare | rivet4j | JMH 1.37 | 1,234,568 |"));
  assert.ok(!md.includes(EARLIER));
  assert.ok(!md.includes("7.777"), "a value of the earlier run");
  assert.ok(!md.includes("## Errors"));
});

test("a sleeping actor's heap is the marginal cost when the memory row has it", () => {
  const mem = { run: RUN, suite: "inprocess", scenario: "memory", actors: 100000, heap_bytes_per_actor: 1360,
    heap_bytes_per_sleeping_actor: 54, heap_bytes_per_sleeping_actor_later: 56,
    heap_bytes_per_more_sleeping_actor: 0.2, sleeping_wave: 1000 };
  const g = goals([mem]).find((x) => x.goal === "Heap per sleeping actor");
  assert.equal(g.measured, "0.2 B");
  assert.equal(g.target, "0 B (< 1 B)");
  assert.equal(g.met, true);
  assert.match(g.source, /1000 awake at a time; 56 B per actor after 100,000 were awake at once/);
  const worse = goals([{ ...mem, heap_bytes_per_more_sleeping_actor: 1.5 }])
    .find((x) => x.goal === "Heap per sleeping actor");
  assert.equal(worse.met, false);
});

test("throughput goals prefer the Netty generator's rows, latency goals the JDK one's", () => {
  const rs = [
    { run: RUN, suite: "js", load_generator: "java", scenario: "ws-64x1000", contender: "rivet4j-relaxed", ops_per_s: 50000, connections: 1000, in_flight: 256, pinning: "p" },
    { run: RUN, suite: "js", load_generator: "java-netty", scenario: "ws-64x1000", contender: "rivet4j-relaxed", ops_per_s: 70000, connections: 1000, in_flight: 256, pinning: "p" },
    { run: RUN, suite: "js", load_generator: "java-netty", scenario: "raw-ws-64x1000", contender: "raw-echo", ops_per_s: 100000, connections: 1000, in_flight: 256, pinning: "p" },
  ];
  const g = goals(rs).find((x) => x.goal === "Relaxed: actions/s, 1,000 actors, 64 in flight");
  assert.equal(g.measured, "70,000 /s");
  assert.equal(g.met, true);
  assert.equal(g.raw, "0.70× (raw 100,000 /s)");
  assert.match(g.source, /^js suite, Java \(Netty\) generator \(p\)/);
  const net = [
    { run: RUN, suite: "net", scenario: "ws-1000-actors", contender: "rivet4j-relaxed", ops_per_s: 55000, connections: 1000, in_flight: 256 },
    { run: RUN, suite: "net", scenario: "ws-1000-actors-netty", contender: "rivet4j-relaxed", ops_per_s: 65000, connections: 1000, in_flight: 256 },
  ];
  const n = goals(net).find((x) => x.goal === "Relaxed: actions/s, 1,000 actors, 64 in flight");
  assert.equal(n.measured, "65,000 /s");
  assert.match(n.source, /one JVM \(not pinned\), Java \(Netty\) generator: `ws-1000-actors-netty`/);
});
