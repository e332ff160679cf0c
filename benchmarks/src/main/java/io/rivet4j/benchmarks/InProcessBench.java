package io.rivet4j.benchmarks;

import io.rivet4j.api.ActorHandle;
import io.rivet4j.runtime.Durability;
import io.rivet4j.runtime.store.FsyncProbe;
import java.io.PrintStream;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.ToDoubleFunction;

/**
 * In-process load benchmark of the runtime with the counter actor: throughput and latency of
 * actions through the in-process client's async path, heap per actor, and the machine's fsync.
 *
 * <p>Every load run starts a fresh node in a new directory, creates its actors, resolves id
 * handles once (key resolution stays out of the loop), warms up, measures, closes the node and
 * deletes the directory; each configuration repeats and reports the median. Results go to
 * standard output as markdown, and one JSON line per row to {@code --jsonl=FILE} or
 * {@code $BENCH_RESULTS_JSONL} when set ({@link JsonlResults}); progress goes to standard error.
 * The exit code is 1 only when a call or a commit failed, never because of a timing.
 *
 * <pre>
 * java -cp … io.rivet4j.benchmarks.InProcessBench [--smoke] [options] [--jsonl=FILE] [scenario…]
 * </pre>
 */
public final class InProcessBench {
  /** A load scenario: which action, on how many actors, in which durability mode. */
  enum Load {
    RELAXED_1000("relaxed-1000", Durability.RELAXED, false, "increment", List.of(1024)),
    READ_1000("read-1000", Durability.DURABLE, false, "getCount", List.of(1024)),
    DURABLE_1000("durable-1000", Durability.DURABLE, false, "increment", List.of(64, 256, 1024)),
    DURABLE_HOT("durable-hot", Durability.DURABLE, true, "increment", List.of(256, 1024)),
    RELAXED_HOT("relaxed-hot", Durability.RELAXED, true, "increment", List.of(1024));

    final String id;
    final Durability durability;
    final boolean hot;
    final String action;
    final List<Integer> defaultInflight;

    Load(String id, Durability durability, boolean hot, String action,
        List<Integer> defaultInflight) {
      this.id = id;
      this.durability = durability;
      this.hot = hot;
      this.action = action;
      this.defaultInflight = defaultInflight;
    }

    Object[] args() {
      return action.equals("increment") ? new Object[] {1L} : new Object[0];
    }
  }

  /**
   * Every scenario, in the order a full run uses: fsync first (a quiet disk), relaxed mode last
   * (when overloaded it makes the runtime log heavily, which would disturb the others).
   */
  static final List<String> ALL = List.of("fsync", "read-1000", "durable-1000", "durable-hot",
      "memory", "relaxed-1000", "relaxed-hot");

  /** The repetitions of one scenario at one in-flight bound. */
  record LoadRow(Load load, int actors, int inflight, double rate,
      List<LoadDriver.Result> runs) {
    double median(ToDoubleFunction<LoadDriver.Result> f) {
      double[] v = runs.stream().mapToDouble(f).sorted().toArray();
      int n = v.length;
      return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }

    double opsPerSecond() {
      return median(LoadDriver.Result::opsPerSecond);
    }

    double latencyMillis(double percentile) {
      return median(r -> r.latency().getValueAtPercentile(percentile) / 1e6);
    }

    long errors() {
      return runs.stream().mapToLong(r -> r.errors() + r.store().failed()).sum();
    }
  }

  /** Everything one invocation measured. */
  static final class Report {
    final List<LoadRow> loads = new ArrayList<>();
    MemoryProbe.Result memory;
    FsyncProbe.Result fsync;
    final List<String> errors = new ArrayList<>();
    double[] loadAverage;
  }

  private InProcessBench() {}

  public static void main(String[] args) {
    List<String> names = new ArrayList<>();
    List<String> rest = new ArrayList<>();
    JsonlResults results = JsonlResults.fromArgs(args, rest);
    BenchOptions options = Cli.parseOrExit(rest, BenchOptions::parse, names, ALL,
        BenchOptions.USAGE);
    double loadBefore = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    Report report = run(names, options, System.err);
    report.loadAverage = new double[] {loadBefore,
        ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage()};
    printMarkdown(report, options, System.out);
    writeRows(report, options, results);
    System.exit(report.errors.isEmpty() ? 0 : 1);
  }

  /** Runs the named scenarios in order; failures are collected in the report, not thrown. */
  static Report run(List<String> names, BenchOptions options, PrintStream progress) {
    Report report = new Report();
    for (String name : names) {
      long t0 = System.nanoTime();
      try {
        switch (name) {
          case "fsync" -> {
            report.fsync = FsyncProbe.measure(options.dataDir(), options.fsyncSamples());
            progress.printf(Locale.ROOT, "# fsync: p50 %d µs, p99 %d µs, max %d µs%n",
                report.fsync.p50Micros(), report.fsync.p99Micros(), report.fsync.maxMicros());
          }
          case "memory" -> {
            report.memory = MemoryProbe.run(options.dataDir(), options.memoryActors());
            progress.printf(Locale.ROOT, "# memory: %.0f B per awake idle actor, %.0f B per"
                + " sleeping actor (%.0f B after the action timeout; %d actors)%n",
                report.memory.bytesPerAwake(), report.memory.bytesPerSleeping(),
                report.memory.bytesPerSleepingLater(), report.memory.actors());
          }
          default -> {
            Load load = Arrays.stream(Load.values()).filter(l -> l.id.equals(name)).findFirst()
                .orElseThrow();
            List<Integer> inflights = options.inflight().isEmpty() ? load.defaultInflight
                : options.inflight();
            for (int inflight : inflights) {
              LoadRow row = runLoad(load, inflight, options, progress);
              report.loads.add(row);
              if (row.errors() > 0) {
                String first = row.runs().stream()
                    .map(r -> r.firstError() != null ? r.firstError() : r.store().firstFailure())
                    .filter(s -> s != null).findFirst().orElse("?");
                report.errors.add(name + " (in flight " + inflight + "): " + row.errors()
                    + " failed call(s) or commit(s); first: " + first);
              }
            }
          }
        }
      } catch (RuntimeException e) {
        e.printStackTrace(progress);
        report.errors.add(name + ": " + e);
      }
      progress.printf(Locale.ROOT, "# %s done in %.1f s%n", name,
          (System.nanoTime() - t0) / 1e9);
    }
    return report;
  }

  /** One configuration: {@code options.repeats()} fresh nodes, each warmed up and measured. */
  static LoadRow runLoad(Load load, int inflight, BenchOptions options, PrintStream progress) {
    int actors = load.hot ? 1 : options.actors();
    List<LoadDriver.Result> runs = new ArrayList<>();
    for (int rep = 1; rep <= options.repeats(); rep++) {
      LoadDriver.Result r;
      try (BenchNode node = BenchNode.open(options.dataDir(), load.durability,
          Duration.ofHours(1))) {
        String[] ids = node.createCounters("bench-", actors, 256);
        List<ActorHandle> handles = node.handles(ids);
        r = LoadDriver.run(handles, load.action, load.args(), inflight, options.rate(),
            options.warmup(), options.measure(), node.store);
      }
      runs.add(r);
      progress.printf(Locale.ROOT, "# %s in-flight %d rep %d/%d: %,.0f ops/s, p50 %.2f ms,"
          + " p99 %.2f ms, errors %d, commits failed %d, batches/fsync %.1f, others' CPU %.0f%%%n",
          load.id,
          inflight, rep, options.repeats(), r.opsPerSecond(),
          r.latency().getValueAtPercentile(50) / 1e6, r.latency().getValueAtPercentile(99) / 1e6,
          r.errors(), r.store().failed(), batchesPerTxn(r.store()), 100 * r.othersCpuShare());
    }
    return new LoadRow(load, actors, inflight, options.rate(), runs);
  }

  private static double batchesPerTxn(LoadDriver.StoreWindow s) {
    return s.transactions() == 0 ? 0 : s.batches() / (double) s.transactions();
  }

  // ------------------------------------------------------------------ report

  /** One JSON line per load row, plus the memory and fsync results when measured. */
  static void writeRows(Report report, BenchOptions o, JsonlResults results) {
    String generator = "InProcessBench: ActorHandle.actionAsync, one thread (JDK "
        + Runtime.version() + ")";
    for (LoadRow r : report.loads) {
      String mode = r.load().durability.name().toLowerCase(Locale.ROOT);
      results.append(results.row("inprocess", r.load().id, "rivet4j-" + mode)
          .put("durability", mode).put("generator", generator).put("load_generator", "java")
          .put("transport", "in-process").put("actors", r.actors())
          .put("in_flight", r.inflight())
          .windows(o.warmup().toNanos() / 1e9, o.measure().toNanos() / 1e9)
          .put("ops_per_s", JsonlResults.round(r.opsPerSecond(), 1))
          .put("p50_ms", JsonlResults.round(r.latencyMillis(50), 3))
          .put("p90_ms", JsonlResults.round(r.latencyMillis(90), 3))
          .put("p99_ms", JsonlResults.round(r.latencyMillis(99), 3))
          .put("p999_ms", JsonlResults.round(r.latencyMillis(99.9), 3))
          .put("max_ms", JsonlResults.round(r.latencyMillis(100), 3))
          .put("errors", r.errors())
          .put("samples", r.runs().stream().mapToLong(x -> x.latency().getTotalCount()).sum())
          .put("others_cpu_share", JsonlResults.round(
              r.median(LoadDriver.Result::othersCpuShare), 2))
          .put("jvm_cpu_cores", JsonlResults.round(r.median(LoadDriver.Result::jvmCores), 2))
          .put("action", r.load().action).put("repeats", r.runs().size())
          .put("rate_per_s", r.rate() > 0 ? r.rate() : null)
          .put("batches_per_fsync", JsonlResults.round(r.median(x -> batchesPerTxn(x.store())),
              1)));
    }
    if (report.memory != null) {
      MemoryProbe.Result m = report.memory;
      results.append(results.row("inprocess", "memory", "rivet4j-relaxed")
          .put("durability", "relaxed").put("generator", "MemoryProbe: GC.class_histogram")
          .put("load_generator", "java").put("transport", "in-process").put("actors", m.actors())
          .put("errors", 0)
          .put("heap_bytes_per_actor", Math.round(m.bytesPerAwake()))
          .put("used_heap_bytes_per_actor", Math.round(m.usedBytesPerAwake()))
          .put("heap_bytes_per_sleeping_actor", Math.round(m.bytesPerSleeping()))
          .put("heap_bytes_per_sleeping_actor_later", Math.round(m.bytesPerSleepingLater()))
          .put("heap_bytes_per_more_sleeping_actor",
              Math.round(m.bytesPerMoreSleeping() * 10) / 10.0)
          .put("sleeping_wave", MemoryProbe.WAVE));
    }
    if (report.fsync != null) {
      results.append(results.row("inprocess", "fsync", "machine")
          .put("generator", "FsyncProbe: 4 KiB append + force(false) in " + o.dataDir())
          .put("load_generator", "java")
          .put("p50_ms", report.fsync.p50Micros() / 1000.0)
          .put("p99_ms", report.fsync.p99Micros() / 1000.0)
          .put("max_ms", report.fsync.maxMicros() / 1000.0)
          .put("errors", 0).put("samples", report.fsync.samples()));
    }
  }

  static void printMarkdown(Report report, BenchOptions o, PrintStream out) {
    var rt = ManagementFactory.getRuntimeMXBean();
    var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory
        .getOperatingSystemMXBean();
    List<String> gcs = ManagementFactory.getGarbageCollectorMXBeans().stream()
        .map(GarbageCollectorMXBean::getName).toList();
    out.println("## In-process benchmark" + (o.smoke() ? " (smoke run: timings meaningless)" : ""));
    out.println();
    out.printf(Locale.ROOT, "- date: %s; machine: %d cores, %.1f GiB; JDK: %s %s%n",
        LocalDate.now(), Runtime.getRuntime().availableProcessors(),
        os.getTotalMemorySize() / (1024.0 * 1024 * 1024), System.getProperty("java.vm.vendor"),
        System.getProperty("java.vm.version"));
    out.printf(Locale.ROOT, "- GC: %s; JVM flags: `%s`%n", String.join(" + ", gcs),
        String.join(" ", rt.getInputArguments()));
    if (report.loadAverage != null) {
      out.printf(Locale.ROOT, "- system load average (1 min) at start %.2f, at end %.2f (other"
          + " processes on the machine were left running)%n", report.loadAverage[0],
          report.loadAverage[1]);
    }
    out.printf(Locale.ROOT, "- method: %s warm-up + %s measured per run, %d run(s) per row"
        + " (median; fresh node directory each run), %s%n", fmt(o.warmup()), fmt(o.measure()),
        o.repeats(), o.rate() > 0 ? String.format(Locale.ROOT, "open loop at %,.0f calls/s",
        o.rate()) : "closed loop with a bounded number of calls in flight");
    out.println();
    if (!report.loads.isEmpty()) {
      out.println("| scenario | durability | actors | in flight | actions/s (median) | min–max"
          + " | p50 ms | p90 ms | p99 ms | p99.9 ms | max ms | batches/fsync | errors"
          + " | others' CPU |");
      out.println("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
      for (LoadRow r : report.loads) {
        double min = r.runs().stream().mapToDouble(LoadDriver.Result::opsPerSecond).min()
            .orElse(0);
        double max = r.runs().stream().mapToDouble(LoadDriver.Result::opsPerSecond).max()
            .orElse(0);
        out.printf(Locale.ROOT, "| %s | %s | %,d | %,d | %,.0f | %,.0f–%,.0f | %.2f | %.2f |"
            + " %.2f | %.2f | %.2f | %.1f | %d | %.0f%% |%n", r.load().id,
            r.load().durability.name().toLowerCase(Locale.ROOT), r.actors(), r.inflight(),
            r.opsPerSecond(), min, max, r.latencyMillis(50), r.latencyMillis(90),
            r.latencyMillis(99), r.latencyMillis(99.9), r.latencyMillis(100),
            r.median(x -> batchesPerTxn(x.store())), r.errors(),
            100 * r.median(LoadDriver.Result::othersCpuShare));
      }
      out.println();
    }
    if (report.memory != null) {
      MemoryProbe.Result m = report.memory;
      out.printf(Locale.ROOT, "Memory (%,d counters, relaxed mode; live heap from the class"
          + " histogram after a full GC, against a baseline taken just before creating them):"
          + " **%,.0f B per awake idle actor** (MemoryMXBean used-heap delta: %,.0f B);"
          + " %,.0f B per sleeping actor right after sleep, %,.0f B once the action timeout"
          + " (%d s here) has passed (created and called in %.1f s, slept in %.1f s), the"
          + " capacity their peak left in hash tables and queues; **%,.1f B per sleeping actor**"
          + " added by %,d more, created, called and put to sleep %,d at a time.%n%n",
          m.actors(), m.bytesPerAwake(), m.usedBytesPerAwake(), m.bytesPerSleeping(),
          m.bytesPerSleepingLater(), MemoryProbe.ACTION_TIMEOUT.toSeconds(), m.createSeconds(),
          m.sleepSeconds(), m.bytesPerMoreSleeping(), m.actors(), MemoryProbe.WAVE);
      histogramTable("class (per awake idle actor)", m.awakeTop(), out);
      if (m.bytesPerSleeping() > 16) {
        histogramTable("class (still held per actor right after sleep)", m.sleepingTop(), out);
      }
      if (m.bytesPerSleepingLater() > 16) {
        histogramTable("class (still held per sleeping actor after the action timeout)",
            m.sleepingLaterTop(), out);
      }
      if (m.bytesPerMoreSleeping() > 1) {
        histogramTable("class (per sleeping actor of the second population)",
            m.moreSleepingTop(), out);
      }
    }
    if (report.fsync != null) {
      out.printf(Locale.ROOT, "fsync (4 KiB append + force, %s): p50 %d µs, p99 %d µs, max %d µs"
          + " over %d samples.%n%n", o.dataDir(), report.fsync.p50Micros(),
          report.fsync.p99Micros(), report.fsync.maxMicros(), report.fsync.samples());
    }
    printTargets(report, out);
    if (!report.errors.isEmpty()) {
      out.println("Errors:");
      for (String e : report.errors) {
        out.println("- " + e);
      }
      out.println();
    }
  }

  private static void histogramTable(String title, List<MemoryProbe.ClassGrowth> rows,
      PrintStream out) {
    out.println("| " + title + " | instances/actor | bytes/actor |");
    out.println("|---|---:|---:|");
    for (MemoryProbe.ClassGrowth g : rows) {
      out.printf(Locale.ROOT, "| `%s` | %.2f | %.0f |%n", g.className().replaceAll(
          "/0x[0-9a-f]+", ""), g.instancesPerActor(), g.bytesPerActor());
    }
    out.println();
  }

  /** The targets, each against the best matching row. */
  static void printTargets(Report report, PrintStream out) {
    Map<String, String[]> rows = new LinkedHashMap<>();
    best("relaxed-1000", report).ifPresent(r -> rows.put("relaxed mode, 1,000 actors",
        ratio(r.opsPerSecond(), 500_000, "actions/s", r)));
    best("read-1000", report).ifPresent(r -> rows.put("read-only actions, 1,000 actors",
        ratio(r.opsPerSecond(), 500_000, "actions/s", r)));
    Optional<LoadRow> durable = report.loads.stream()
        .filter(r -> r.load().id.equals("durable-1000") && r.latencyMillis(99) <= 5.0)
        .max(Comparator.comparingDouble(LoadRow::opsPerSecond))
        .or(() -> best("durable-1000", report));
    durable.ifPresent(r -> {
      rows.put("durable acks, 1,000 actors", ratio(r.opsPerSecond(), 15_000, "actions/s", r));
      double p99 = r.latencyMillis(99);
      rows.put("… their p99 latency", new String[] {String.format(Locale.ROOT, "%.2f ms", p99),
          "≤ 5 ms", String.format(Locale.ROOT, "%.2f", 5.0 / p99), "in flight " + r.inflight()});
    });
    best("durable-hot", report).ifPresent(r -> rows.put("durable acks, one hot actor",
        ratio(r.opsPerSecond(), 10_000, "actions/s", r)));
    if (report.memory != null) {
      double b = report.memory.bytesPerAwake();
      rows.put("heap per idle awake actor", new String[] {String.format(Locale.ROOT, "%,.0f B", b),
          "≤ 2,048 B", String.format(Locale.ROOT, "%.2f", 2048 / b), ""});
      double sleeping = report.memory.bytesPerMoreSleeping();
      rows.put("heap per sleeping actor", new String[] {
          String.format(Locale.ROOT, "%,.1f B", sleeping), "0 B (< 1 B)",
          sleeping < 1 ? "met" : "missed", MemoryProbe.WAVE + " awake at a time"});
    }
    if (rows.isEmpty()) {
      return;
    }
    out.println("| target | measured | goal | ratio (≥ 1 meets) | configuration |");
    out.println("|---|---:|---:|---:|---|");
    rows.forEach((k, v) -> out.printf("| %s | %s | %s | %s | %s |%n", k, v[0], v[1], v[2], v[3]));
    out.println();
  }

  private static Optional<LoadRow> best(String id, Report report) {
    return report.loads.stream().filter(r -> r.load().id.equals(id))
        .max(Comparator.comparingDouble(LoadRow::opsPerSecond));
  }

  private static String[] ratio(double measured, double goal, String unit, LoadRow r) {
    return new String[] {String.format(Locale.ROOT, "%,.0f %s", measured, unit),
        String.format(Locale.ROOT, "≥ %,.0f", goal),
        String.format(Locale.ROOT, "%.2f", measured / goal), "in flight " + r.inflight()};
  }

  private static String fmt(Duration d) {
    return String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
  }
}
