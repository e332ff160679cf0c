package io.rivet4j.benchmarks;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.HdrHistogram.Histogram;

/**
 * The raw numbers of a benchmark run: one JSON object per measured row, appended to a
 * {@code .jsonl} file in the schema of {@code benchmarks/js/bench.mjs}, so that
 * {@code benchmarks/js/report.mjs} builds one report from every suite. {@code scripts/bench.sh}
 * sets the file and the run's identity through the environment; each main also takes them as
 * options, which win.
 *
 * <pre>
 * --jsonl=FILE     BENCH_RESULTS_JSONL   rows are appended here (none: no rows are written)
 * --run=ID         BENCH_RUN             the run the rows belong to (default: now, UTC)
 * --commit=C       BENCH_COMMIT          the code measured (default: none)
 * --pinning=TEXT   BENCH_PINNING         where server and generator ran (default: none)
 * </pre>
 *
 * <p>Every row has every key of {@link #SCHEMA}, {@code null} where it does not apply, then the
 * row's own keys (e.g. {@code suite}, {@code heap_bytes_per_actor}). Not thread-safe: rows are
 * written by the benchmark's main thread between measurements.
 */
final class JsonlResults {
  /** The keys of {@code bench.mjs}'s rows, in its order. */
  static final List<String> SCHEMA = List.of("run", "commit", "scenario", "contender",
      "durability", "generator", "load_generator", "transport", "actors", "connections",
      "in_flight", "warmup_s", "measure_s", "ops_per_s", "p50_ms", "p90_ms", "p99_ms", "p999_ms",
      "max_ms", "errors", "samples", "server_cpu_cores", "generator_cpu_cores",
      "others_cpu_share", "pinning", "cpus", "load1");

  private static final List<String> OPTIONS = List.of("jsonl", "run", "commit", "pinning");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path file; // null: rows are dropped
  private final String run;
  private final String commit;
  private final String pinning;

  JsonlResults(Path file, String run, String commit, String pinning) {
    this.file = file;
    this.run = run;
    this.commit = commit;
    this.pinning = pinning;
  }

  /** Writes nothing; for runs that only print markdown. */
  static JsonlResults none() {
    return new JsonlResults(null, now(), null, null);
  }

  /**
   * Takes {@code --jsonl=}, {@code --run=}, {@code --commit=} and {@code --pinning=} out of
   * {@code args} (the rest stay, in order), falling back to {@code env}'s {@code BENCH_*}
   * variables (see the class comment).
   */
  static JsonlResults fromArgs(List<String> args, Map<String, String> env) {
    Map<String, String> given = new LinkedHashMap<>();
    for (Iterator<String> it = args.iterator(); it.hasNext(); ) {
      String a = it.next();
      for (String name : OPTIONS) {
        if (a.startsWith("--" + name + "=")) {
          given.put(name, a.substring(name.length() + 3));
          it.remove();
        }
      }
    }
    String file = pick(given.get("jsonl"), env.get("BENCH_RESULTS_JSONL"));
    return new JsonlResults(file == null ? null : Path.of(file),
        Optional.ofNullable(pick(given.get("run"), env.get("BENCH_RUN"))).orElseGet(
            JsonlResults::now),
        pick(given.get("commit"), env.get("BENCH_COMMIT")),
        pick(given.get("pinning"), env.get("BENCH_PINNING")));
  }

  /** {@link #fromArgs(List, Map)} on a main's arguments and the process environment. */
  static JsonlResults fromArgs(String[] args, List<String> rest) {
    rest.addAll(List.of(args));
    return fromArgs(rest, System.getenv());
  }

  private static String pick(String option, String env) {
    String v = option != null ? option : env;
    return v == null || v.isBlank() ? null : v;
  }

  private static String now() {
    return Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
  }

  boolean enabled() {
    return file != null;
  }

  String run() {
    return run;
  }

  /**
   * A new row of {@code suite} with the run's identity and the machine's CPUs and load filled in;
   * every other key of the schema is {@code null} until set.
   */
  Row row(String suite, String scenario, String contender) {
    Row r = new Row();
    for (String k : SCHEMA) {
      r.values.put(k, null);
    }
    r.put("run", run).put("commit", commit).put("scenario", scenario).put("contender", contender)
        .put("pinning", pinning).put("cpus", CpuMeter.machineCpus())
        .put("load1", round(ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
            2))
        .put("suite", suite);
    return r;
  }

  /** Appends the row as one line; a no-op without a file. */
  void append(Row row) {
    if (file == null) {
      return;
    }
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      Files.writeString(file, row.toJson() + "\n", StandardCharsets.UTF_8,
          StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot append to " + file + ": " + e.getMessage(), e);
    }
  }

  /** One result row: the schema's keys, then its own, in insertion order. */
  static final class Row {
    private final Map<String, Object> values = new LinkedHashMap<>();

    private Row() {}

    /**
     * Sets a key. Doubles are kept as given except NaN and infinities, which become
     * {@code null}; use {@link JsonlResults#round} for the schema's precision.
     */
    Row put(String key, Object value) {
      if (value instanceof Double d && (d.isNaN() || d.isInfinite())) {
        value = null;
      }
      values.put(key, value);
      return this;
    }

    /** p50/p90/p99/p99.9/max in milliseconds (3 decimals) and the sample count. */
    Row latency(Histogram nanos) {
      if (nanos.getTotalCount() == 0) {
        return put("samples", 0L);
      }
      return put("p50_ms", ms(nanos.getValueAtPercentile(50)))
          .put("p90_ms", ms(nanos.getValueAtPercentile(90)))
          .put("p99_ms", ms(nanos.getValueAtPercentile(99)))
          .put("p999_ms", ms(nanos.getValueAtPercentile(99.9)))
          .put("max_ms", ms(nanos.getMaxValue()))
          .put("samples", nanos.getTotalCount());
    }

    /** Warm-up and measured seconds of the row's windows. */
    Row windows(double warmupS, double measureS) {
      return put("warmup_s", round(warmupS, 3)).put("measure_s", round(measureS, 3));
    }

    Object get(String key) {
      return values.get(key);
    }

    List<String> keys() {
      return new ArrayList<>(values.keySet());
    }

    String toJson() {
      try {
        return JSON.writeValueAsString(values);
      } catch (JsonProcessingException e) {
        throw new IllegalStateException("a result row did not serialise: " + values, e);
      }
    }

    private static Double ms(long nanos) {
      return round(nanos / 1e6, 3);
    }
  }

  /** {@code v} rounded to {@code digits} decimals; NaN stays NaN (and is written as null). */
  static double round(double v, int digits) {
    if (Double.isNaN(v) || Double.isInfinite(v)) {
      return v;
    }
    double scale = Math.pow(10, digits);
    return Math.round(v * scale) / scale;
  }
}
