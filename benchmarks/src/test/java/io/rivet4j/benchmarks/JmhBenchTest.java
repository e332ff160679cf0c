package io.rivet4j.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.runner.BenchmarkList;
import org.openjdk.jmh.runner.BenchmarkListEntry;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.TimeValue;

/** The JMH entry point: the generated benchmark list, its defaults, and the rows it writes. */
class JmhBenchTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void theAnnotationProcessorListedEveryBenchmark() throws Exception {
    List<String> names;
    try (InputStream in = JmhBench.class.getClassLoader()
        .getResourceAsStream(BenchmarkList.BENCHMARK_LIST.substring(1))) {
      assertNotNull(in, "no META-INF/BenchmarkList: JMH's annotation processor did not run");
      names = BenchmarkList.readBenchmarkList(in).stream().map(BenchmarkListEntry::getUsername)
          .sorted().toList();
    }
    assertEquals(List.of("CodecBench.decodeActionRequest", "CodecBench.decodeActionResponse",
        "CodecBench.encodeActionRequest", "CodecBench.encodeActionResponse",
        "DispatchBench.increment", "StoreCommitBench.writes1", "StoreCommitBench.writes16",
        "StoreCommitBench.writes256").stream().map(b -> "io.rivet4j.benchmarks.jmh." + b)
        .toList(), names);
  }

  @Test
  void defaultsApplyOnlyWhereTheCommandLineIsSilent() throws Exception {
    Options smoke = JmhBench.options(new CommandLineOptions(), true);
    assertEquals(1, smoke.getForkCount().get());
    assertEquals(1, smoke.getWarmupIterations().get());
    assertEquals(TimeValue.milliseconds(100), smoke.getWarmupTime().get());
    assertEquals(1, smoke.getMeasurementIterations().get());
    assertEquals(TimeValue.milliseconds(200), smoke.getMeasurementTime().get());
    assertEquals(JmhBench.FORK_JVM_ARGS, List.copyOf(smoke.getJvmArgs().get()));
    assertEquals(List.of(JmhBench.INCLUDE), smoke.getIncludes());
    assertTrue(smoke.shouldFailOnError().get());

    Options full = JmhBench.options(new CommandLineOptions("CodecBench", "-wi", "7", "-f",
        "2", "-jvmArgs", "-Xmx512m"), false);
    assertEquals(2, full.getForkCount().get());
    assertEquals(7, full.getWarmupIterations().get());
    assertTrue(!full.getMeasurementIterations().hasValue(), "the class's own count applies");
    assertEquals(List.of("-Xmx512m"), List.copyOf(full.getJvmArgs().get()));
    assertEquals(List.of("CodecBench"), full.getIncludes());
  }

  @Test
  void operationsPerSecondFromEveryModeAndUnit() {
    assertEquals(4_000_000, JmhBench.opsPerSecond(Mode.AverageTime, TimeUnit.NANOSECONDS, 250),
        1e-6);
    assertEquals(500_000, JmhBench.opsPerSecond(Mode.AverageTime, TimeUnit.MICROSECONDS, 2),
        1e-6);
    assertEquals(3_000, JmhBench.opsPerSecond(Mode.Throughput, TimeUnit.MILLISECONDS, 3), 1e-9);
    assertEquals(42, JmhBench.opsPerSecond(Mode.Throughput, TimeUnit.SECONDS, 42), 1e-9);
    assertTrue(Double.isNaN(JmhBench.opsPerSecond(Mode.AverageTime, TimeUnit.NANOSECONDS, 0)));
  }

  @Test
  void aResultBecomesATableRowAndAJsonLine(@TempDir Path dir) throws Exception {
    Map<String, String> params = new LinkedHashMap<>();
    params.put("shape", "turns");
    params.put("sync", "fsync");
    JmhBench.Row row = new JmhBench.Row("StoreCommitBench.writes16", params, "avgt", 21_000.5,
        Double.NaN, "ns/op", 4, JmhBench.opsPerSecond(Mode.AverageTime, TimeUnit.NANOSECONDS,
        21_000.5), 2, 4, "1.37", "OpenJDK 25", JmhBench.FORK_JVM_ARGS);
    Path file = dir.resolve("r.jsonl");
    JsonlResults jsonl = new JsonlResults(file, "2026-11-23T22:00:00Z", "abc1234+dirty", null);

    jsonl.append(row.toJsonl(jsonl));
    ByteArrayOutputStream md = new ByteArrayOutputStream();
    JmhBench.printMarkdown(List.of(row), JmhBench.options(new CommandLineOptions(), false),
        false, 0.5, 0.7, new PrintStream(md, true, StandardCharsets.UTF_8));

    JsonNode j = JSON.readTree(Files.readAllLines(file).get(0));
    assertEquals("2026-11-23T22:00:00Z", j.get("run").asText());
    assertEquals("abc1234+dirty", j.get("commit").asText());
    assertEquals("jmh:StoreCommitBench.writes16 shape=turns sync=fsync",
        j.get("scenario").asText());
    assertEquals("rivet4j", j.get("contender").asText());
    assertEquals("jmh 1.37", j.get("generator").asText());
    assertEquals("jmh", j.get("load_generator").asText());
    assertEquals("jmh", j.get("suite").asText());
    assertEquals("avgt", j.get("mode").asText());
    assertEquals(21_000.5, j.get("score").asDouble());
    assertTrue(j.get("score_error").isNull());
    assertEquals("ns/op", j.get("unit").asText());
    assertEquals(47_617.9, j.get("ops_per_s").asDouble());
    assertEquals(4, j.get("samples").asInt());
    assertEquals(0, j.get("errors").asInt());
    assertEquals(2, j.get("warmup_s").asDouble());
    assertEquals("fsync", j.get("params").get("sync").asText());
    assertTrue(j.get("cpus").asInt() >= 1);
    assertTrue(j.has("load1"));
    String table = md.toString(StandardCharsets.UTF_8);
    assertTrue(table.contains("| benchmark | params | mode | score | error | unit |"), table);
    assertTrue(table.contains("| StoreCommitBench.writes16 | shape=turns sync=fsync | avgt"
        + " | 21,001 | — | ns/op |"), table);
  }
}
