package io.rivet4j.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The rows every Java benchmark appends to {@code benchmarks/results/<date>.jsonl}. */
class JsonlResultsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void optionsAreTakenOutOfTheArgumentsAndWinOverTheEnvironment() {
    List<String> args = new ArrayList<>(List.of("net", "--jsonl=/tmp/a.jsonl", "--smoke",
        "--run=R1", "--measure=2"));
    JsonlResults r = JsonlResults.fromArgs(args, Map.of("BENCH_RESULTS_JSONL", "/tmp/b.jsonl",
        "BENCH_RUN", "R2", "BENCH_COMMIT", "abc123", "BENCH_PINNING", "server cpu 0"));

    assertEquals(List.of("net", "--smoke", "--measure=2"), args);
    assertTrue(r.enabled());
    assertEquals("R1", r.run());
    JsonlResults.Row row = r.row("net", "ws-seq", "rivet4j-relaxed");
    assertEquals("abc123", row.get("commit"));
    assertEquals("server cpu 0", row.get("pinning"));
  }

  @Test
  void withoutFileOrEnvironmentNothingIsWritten(@TempDir Path dir) throws Exception {
    JsonlResults r = JsonlResults.fromArgs(new ArrayList<>(List.of("--smoke")), Map.of());

    assertFalse(r.enabled());
    r.append(r.row("inprocess", "fsync", "machine"));
    try (var files = Files.list(dir)) {
      assertEquals(0, files.count());
    }
  }

  @Test
  void rowsHaveEverySchemaKeyInOrderThenTheirOwn(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("results/day.jsonl");
    Files.createDirectories(file.getParent());
    Files.writeString(file, "{\"run\":\"earlier\"}\n");
    JsonlResults r = new JsonlResults(file, "2026-11-23T22:00:00Z", "abc123", null);
    Histogram h = new Histogram(3);
    for (int i = 1; i <= 1000; i++) {
      h.recordValue(i * 1000L); // 1 µs … 1 ms
    }

    r.append(r.row("inprocess", "durable-1000", "rivet4j-durable").put("in_flight", 256)
        .windows(1, 2.5).put("ops_per_s", JsonlResults.round(12_345.678, 1)).latency(h)
        .put("errors", 0).put("others_cpu_share", Double.NaN).put("heap_bytes_per_actor", 1054));

    List<String> lines = Files.readAllLines(file);
    assertEquals(2, lines.size(), "the earlier row must stay");
    assertEquals("{\"run\":\"earlier\"}", lines.get(0));
    JsonNode row = JSON.readTree(lines.get(1));
    List<String> keys = new ArrayList<>();
    row.fieldNames().forEachRemaining(keys::add);
    List<String> expected = new ArrayList<>(JsonlResults.SCHEMA);
    expected.addAll(List.of("suite", "heap_bytes_per_actor"));
    assertEquals(expected, keys);
    assertEquals("2026-11-23T22:00:00Z", row.get("run").asText());
    assertEquals("abc123", row.get("commit").asText());
    assertEquals("inprocess", row.get("suite").asText());
    assertEquals(256, row.get("in_flight").asInt());
    assertEquals(1.0, row.get("warmup_s").asDouble());
    assertEquals(2.5, row.get("measure_s").asDouble());
    assertEquals(12_345.7, row.get("ops_per_s").asDouble());
    assertEquals(0.5, row.get("p50_ms").asDouble(), 0.001);
    assertEquals(0.99, row.get("p99_ms").asDouble(), 0.001);
    assertEquals(1.0, row.get("max_ms").asDouble(), 0.001);
    assertEquals(1000, row.get("samples").asLong());
    assertTrue(row.get("others_cpu_share").isNull(), "NaN is written as null");
    assertTrue(row.get("durability").isNull(), "keys not set are null");
    assertTrue(row.get("pinning").isNull());
    assertEquals(CpuMeter.machineCpus(), row.get("cpus").asInt());
  }

  @Test
  @Timeout(30)
  void inProcessLoadRowsAreWrittenWithTheirMedians(@TempDir Path dir) throws Exception {
    BenchOptions o = new BenchOptions(Duration.ofMillis(100), Duration.ofMillis(300), 1,
        List.of(64), 0, 50, 1000, 20, dir.resolve("nodes"), true);
    PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true,
        StandardCharsets.UTF_8);
    InProcessBench.Report report = new InProcessBench.Report();
    report.loads.add(InProcessBench.runLoad(InProcessBench.Load.RELAXED_HOT, 64, o, quiet));
    Path file = dir.resolve("rows.jsonl");

    InProcessBench.writeRows(report, o, new JsonlResults(file, "R", null, null));

    List<String> lines = Files.readAllLines(file);
    assertEquals(1, lines.size());
    JsonNode row = JSON.readTree(lines.get(0));
    InProcessBench.LoadRow load = report.loads.get(0);
    assertEquals("relaxed-hot", row.get("scenario").asText());
    assertEquals("rivet4j-relaxed", row.get("contender").asText());
    assertEquals("in-process", row.get("transport").asText());
    assertEquals(1, row.get("actors").asInt());
    assertEquals(64, row.get("in_flight").asInt());
    assertEquals(JsonlResults.round(load.opsPerSecond(), 1), row.get("ops_per_s").asDouble());
    assertEquals(JsonlResults.round(load.latencyMillis(50), 3), row.get("p50_ms").asDouble());
    assertEquals(load.runs().get(0).latency().getTotalCount(), row.get("samples").asLong());
    assertEquals(0, row.get("errors").asLong());
  }
}
