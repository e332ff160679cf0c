package io.rivet4j.benchmarks;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Command-line options of {@link InProcessBench}.
 *
 * @param warmup load before each measurement (3 s; 0.3 s in smoke mode)
 * @param measure measured load per repetition (10 s; 1 s in smoke mode)
 * @param repeats repetitions per configuration, each on a fresh node; the median is reported
 * @param inflight calls in flight to try (empty: each scenario's default)
 * @param rate offered load in calls/s for an open-loop run (0: closed loop, as fast as the
 *     in-flight bound allows); latency is then measured from each call's intended start
 * @param actors actors for the {@code -1000} scenarios (1,000)
 * @param memoryActors actors created by the {@code memory} scenario (100,000)
 * @param fsyncSamples samples of the {@code fsync} scenario (2,000)
 * @param dataDir where each run's fresh node directory is created (and deleted afterwards)
 * @param smoke short runs that only check that every scenario works
 */
record BenchOptions(
    Duration warmup,
    Duration measure,
    int repeats,
    List<Integer> inflight,
    double rate,
    int actors,
    int memoryActors,
    int fsyncSamples,
    Path dataDir,
    boolean smoke) {

  static final String USAGE = """
      usage: InProcessBench [options] [scenario…]
        scenarios: relaxed-1000 read-1000 durable-1000 durable-hot relaxed-hot memory fsync
                   (none: all of them)
        --smoke            every scenario for about a second; exit code 1 only on errors
        --warmup=SEC       warm-up per repetition (default 3)
        --measure=SEC      measurement per repetition (default 10)
        --repeats=N        repetitions per configuration, median reported (default 3)
        --inflight=N[,N…]  calls in flight, one result row per value (default per scenario)
        --rate=R           open loop at R calls/s (latency from the intended start time)
        --actors=N         actors of the -1000 scenarios (default 1000)
        --memory-actors=N  actors of the memory scenario (default 100000)
        --fsync-samples=N  samples of the fsync scenario (default 2000)
        --data-dir=PATH    parent of the per-run node directories (default java.io.tmpdir)
      """;

  static BenchOptions defaults() {
    return new BenchOptions(Duration.ofSeconds(3), Duration.ofSeconds(10), 3, List.of(), 0,
        1000, 100_000, 2000, Path.of(System.getProperty("java.io.tmpdir")), false);
  }

  static BenchOptions smokeDefaults() {
    return new BenchOptions(Duration.ofMillis(300), Duration.ofSeconds(1), 1, List.of(), 0,
        1000, 5_000, 200, Path.of(System.getProperty("java.io.tmpdir")), true);
  }

  /** Parses options; scenario names are collected into {@code scenarios}. */
  static BenchOptions parse(String[] args, List<String> scenarios) {
    boolean smoke = false;
    for (String a : args) {
      smoke |= a.equals("--smoke");
    }
    BenchOptions o = smoke ? smokeDefaults() : defaults();
    for (String a : args) {
      if (a.equals("--smoke")) {
        continue;
      }
      if (a.equals("-h") || a.equals("--help")) {
        throw new IllegalArgumentException(USAGE);
      }
      if (!a.startsWith("--")) {
        scenarios.add(a);
        continue;
      }
      int eq = a.indexOf('=');
      if (eq < 0) {
        throw new IllegalArgumentException("option " + a + " needs a value (" + a + "=…)\n"
            + USAGE);
      }
      String name = a.substring(2, eq);
      String v = a.substring(eq + 1);
      o = switch (name) {
        case "warmup" -> o.with(seconds(v), o.measure, o.repeats, o.inflight, o.rate);
        case "measure" -> o.with(o.warmup, seconds(v), o.repeats, o.inflight, o.rate);
        case "repeats" -> o.with(o.warmup, o.measure, positive(name, v), o.inflight, o.rate);
        case "inflight" -> o.with(o.warmup, o.measure, o.repeats, list(v), o.rate);
        case "rate" -> o.with(o.warmup, o.measure, o.repeats, o.inflight, Double.parseDouble(v));
        case "actors" -> new BenchOptions(o.warmup, o.measure, o.repeats, o.inflight, o.rate,
            positive(name, v), o.memoryActors, o.fsyncSamples, o.dataDir, o.smoke);
        case "memory-actors" -> new BenchOptions(o.warmup, o.measure, o.repeats, o.inflight,
            o.rate, o.actors, positive(name, v), o.fsyncSamples, o.dataDir, o.smoke);
        case "fsync-samples" -> new BenchOptions(o.warmup, o.measure, o.repeats, o.inflight,
            o.rate, o.actors, o.memoryActors, positive(name, v), o.dataDir, o.smoke);
        case "data-dir" -> new BenchOptions(o.warmup, o.measure, o.repeats, o.inflight, o.rate,
            o.actors, o.memoryActors, o.fsyncSamples, Path.of(v), o.smoke);
        default -> throw new IllegalArgumentException("unknown option " + a + "\n" + USAGE);
      };
    }
    return o;
  }

  BenchOptions with(Duration warmup, Duration measure, int repeats, List<Integer> inflight,
      double rate) {
    return new BenchOptions(warmup, measure, repeats, inflight, rate, actors, memoryActors,
        fsyncSamples, dataDir, smoke);
  }

  private static Duration seconds(String v) {
    return Duration.ofNanos((long) (Double.parseDouble(v) * 1e9));
  }

  private static int positive(String name, String v) {
    int n = Integer.parseInt(v);
    if (n < 1) {
      throw new IllegalArgumentException("--" + name + " must be ≥ 1, got " + n);
    }
    return n;
  }

  private static List<Integer> list(String v) {
    List<Integer> out = new ArrayList<>();
    for (String s : v.split(",")) {
      out.add(positive("inflight", s.trim()));
    }
    return List.copyOf(out);
  }
}
