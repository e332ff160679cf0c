package io.rivet4j.benchmarks;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.format.OutputFormat;
import org.openjdk.jmh.runner.format.OutputFormatFactory;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * Runs the JMH microbenchmarks of {@code io.rivet4j.benchmarks.jmh} (codecs, dispatch to an
 * in-process actor, store commits) with one fork each, prints a markdown table of the results to
 * standard output (JMH's own progress goes to standard error) and, with {@code --jsonl=FILE} or
 * {@code $BENCH_RESULTS_JSONL}, appends one row per result there (suite {@code jmh},
 * {@link JsonlResults}). Exit code 1 only when a benchmark failed (JMH stops at the first error)
 * or none matched, 2 for bad options; never because of a score.
 *
 * <pre>
 * java -cp … io.rivet4j.benchmarks.JmhBench [--smoke] [--jsonl=FILE --run=ID --commit=C]
 *     [JMH options and benchmark regexps, e.g. CodecBench -p encoding=bare -prof gc]
 * </pre>
 *
 * <p>Unless the JMH options say otherwise: fork 1, the classes' own warm-up and measurement
 * (about 3 minutes in all), or with {@code --smoke} one 100 ms warm-up and one 200 ms
 * measurement per benchmark; the forks run with {@link #FORK_JVM_ARGS}; JMH's JSON result goes
 * to {@code benchmarks/target/jmh-results.json} (from the project folder).
 */
public final class JmhBench {
  /** The measured JVMs' flags (JMH's {@code -jvmArgs} replaces them). */
  static final List<String> FORK_JVM_ARGS = List.of("-Xms1g", "-Xmx1g", "-XX:+UseParallelGC",
      "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow",
      "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn");
  /** Only the project's benchmarks (JMH would otherwise run everything on the class path). */
  static final String INCLUDE = "io\\.rivet4j\\.benchmarks\\.jmh\\.";

  private JmhBench() {}

  public static void main(String[] args) {
    List<String> rest = new ArrayList<>();
    JsonlResults jsonl = JsonlResults.fromArgs(args, rest);
    boolean smoke = rest.remove("--smoke");
    CommandLineOptions cli;
    try {
      cli = new CommandLineOptions(rest.toArray(String[]::new));
    } catch (CommandLineOptionException e) {
      System.err.println("error: " + e.getMessage() + " (JMH options: scripts/bench.sh jmh -h)");
      System.exit(2);
      return;
    }
    try {
      if (cli.shouldHelp()) {
        System.err.println("scripts/bench.sh jmh [--smoke] [JMH options and benchmark regexps];"
            + " JMH's options:");
        cli.showHelp();
        System.exit(0);
      }
      if (cli.shouldList() || cli.shouldListWithParams()) {
        Runner runner = new Runner(options(cli, false));
        if (cli.shouldList()) {
          runner.list();
        } else {
          runner.listWithParams(cli);
        }
        System.exit(0);
      }
    } catch (IOException e) {
      System.err.println("error: " + e);
      System.exit(2);
    }
    Options options = options(cli, smoke);
    OutputFormat progress = OutputFormatFactory.createFormatInstance(System.err,
        options.verbosity().orElse(VerboseMode.NORMAL));
    double loadBefore = loadAverage();
    Collection<RunResult> results;
    try {
      results = new Runner(options, progress).run();
    } catch (RunnerException e) { // a failing benchmark's own error is in JMH's output above
      System.err.println("error: JMH stopped: " + (e.getMessage() != null ? e.getMessage() : e));
      System.exit(1);
      return;
    }
    List<Row> rows = results.stream().map(JmhBench::row).toList();
    if (rows.isEmpty()) {
      System.err.println("error: no benchmark matched " + options.getIncludes()
          + " (scripts/bench.sh jmh -l lists them)");
      System.exit(1);
    }
    printMarkdown(rows, options, smoke, loadBefore, loadAverage(), System.out);
    for (Row r : rows) {
      jsonl.append(r.toJsonl(jsonl));
    }
    System.exit(0);
  }

  /** The command line's options over this main's defaults (which apply only where it is silent). */
  static Options options(CommandLineOptions cli, boolean smoke) {
    ChainedOptionsBuilder b = new OptionsBuilder().parent(cli);
    if (cli.getIncludes().isEmpty()) {
      b.include(INCLUDE);
    }
    if (!cli.getForkCount().hasValue()) {
      b.forks(1);
    }
    if (!cli.getJvmArgs().hasValue()) {
      b.jvmArgs(FORK_JVM_ARGS.toArray(String[]::new));
    }
    if (!cli.shouldFailOnError().hasValue()) {
      b.shouldFailOnError(true);
    }
    if (!cli.getResultFormat().hasValue()) {
      b.resultFormat(ResultFormatType.JSON);
    }
    if (!cli.getResult().hasValue()) {
      Path target = Path.of("benchmarks", "target");
      b.result((Files.isDirectory(target) ? target.resolve("jmh-results.json")
          : Path.of("jmh-results.json")).toString());
    }
    if (smoke) {
      if (!cli.getWarmupIterations().hasValue()) {
        b.warmupIterations(1);
      }
      if (!cli.getWarmupTime().hasValue()) {
        b.warmupTime(TimeValue.milliseconds(100));
      }
      if (!cli.getMeasurementIterations().hasValue()) {
        b.measurementIterations(1);
      }
      if (!cli.getMeasurementTime().hasValue()) {
        b.measurementTime(TimeValue.milliseconds(200));
      }
    }
    return b.build();
  }

  /**
   * One result: {@code benchmark} is {@code Class.method} (the package left out), {@code params}
   * in JMH's order, the score in JMH's unit (per write for the store's N-write groups).
   */
  record Row(String benchmark, Map<String, String> params, String mode, double score,
      double scoreError, String unit, long samples, double opsPerSecond, double warmupSeconds,
      double measureSeconds, String jmhVersion, String vm, List<String> jvmArgs) {

    /**
     * {@code jmh:} + benchmark + its parameters, e.g.
     * {@code jmh:CodecBench.encodeActionRequest encoding=bare}.
     */
    String scenario() {
      StringBuilder s = new StringBuilder("jmh:").append(benchmark);
      params.forEach((k, v) -> s.append(' ').append(k).append('=').append(v));
      return s.toString();
    }

    String paramsText() {
      StringBuilder s = new StringBuilder();
      params.forEach((k, v) -> s.append(s.isEmpty() ? "" : " ").append(k).append('=').append(v));
      return s.toString();
    }

    JsonlResults.Row toJsonl(JsonlResults jsonl) {
      return jsonl.row("jmh", scenario(), "rivet4j")
          .put("generator", "jmh " + jmhVersion)
          .put("load_generator", "jmh")
          .windows(warmupSeconds, measureSeconds)
          .put("ops_per_s", JsonlResults.round(opsPerSecond, 1))
          .put("errors", 0)
          .put("samples", samples)
          .put("benchmark", benchmark)
          .put("params", params)
          .put("mode", mode)
          .put("score", score)
          .put("score_error", scoreError)
          .put("unit", unit)
          .put("vm", vm)
          .put("jvm_args", jvmArgs);
    }
  }

  static Row row(RunResult run) {
    BenchmarkParams p = run.getParams();
    Result<?> primary = run.getPrimaryResult();
    Map<String, String> params = new LinkedHashMap<>();
    for (String k : p.getParamsKeys()) {
      params.put(k, p.getParam(k));
    }
    String[] name = p.getBenchmark().split("\\.");
    String shortName = name.length >= 2 ? name[name.length - 2] + "." + name[name.length - 1]
        : p.getBenchmark();
    return new Row(shortName, params, p.getMode().shortLabel(), primary.getScore(),
        primary.getScoreError(), primary.getScoreUnit(), primary.getSampleCount(),
        opsPerSecond(p.getMode(), p.getTimeUnit(), primary.getScore()), seconds(p.getWarmup()),
        seconds(p.getMeasurement()), p.getJmhVersion(), p.getVmName() + " " + p.getVmVersion(),
        List.copyOf(p.getJvmArgs()));
  }

  /**
   * Operations per second from a score: throughput as is (per second), a time per operation
   * (average, sample, single shot) inverted; NaN for a zero or negative time.
   */
  static double opsPerSecond(Mode mode, TimeUnit unit, double score) {
    double nanosPerUnit = unit.toNanos(1);
    if (mode == Mode.Throughput) {
      return score * 1e9 / nanosPerUnit;
    }
    double nanosPerOp = score * nanosPerUnit;
    return nanosPerOp > 0 ? 1e9 / nanosPerOp : Double.NaN;
  }

  private static double seconds(IterationParams it) {
    TimeValue t = it.getTime();
    return it.getCount() * t.getTimeUnit().toNanos(t.getTime()) / 1e9;
  }

  private static double loadAverage() {
    return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
  }

  static void printMarkdown(List<Row> rows, Options options, boolean smoke, double loadBefore,
      double loadAfter, PrintStream out) {
    Row first = rows.get(0);
    out.println("## Microbenchmarks (JMH)");
    out.println();
    out.printf(Locale.ROOT, "JMH %s%s, %s, fork JVM flags `%s`; load average %.2f before, %.2f"
            + " after; %d CPUs.%n", first.jmhVersion(), smoke ? " (--smoke: timings mean"
            + " nothing)" : "", first.vm(), String.join(" ", first.jvmArgs()), loadBefore,
        loadAfter, CpuMeter.machineCpus());
    out.println();
    out.println("| benchmark | params | mode | score | error | unit |");
    out.println("|---|---|---|---:|---:|---|");
    for (Row r : rows) {
      out.printf(Locale.ROOT, "| %s | %s | %s | %s | %s | %s |%n", r.benchmark(),
          r.paramsText().isEmpty() ? "—" : r.paramsText(), r.mode(), number(r.score()),
          Double.isNaN(r.scoreError()) ? "—" : "± " + number(r.scoreError()), r.unit());
    }
    if (options.getResult().hasValue()) {
      out.println();
      out.println("JMH's own JSON result: `" + options.getResult().get() + "`.");
    }
  }

  /** Three significant digits or more: 12,345 / 123.4 / 12.35 / 1.235. */
  static String number(double v) {
    if (Double.isNaN(v)) {
      return "—";
    }
    double a = Math.abs(v);
    String f = a >= 1000 ? "%,.0f" : a >= 100 ? "%.1f" : a >= 10 ? "%.2f" : "%.3f";
    return String.format(Locale.ROOT, f, v);
  }
}
