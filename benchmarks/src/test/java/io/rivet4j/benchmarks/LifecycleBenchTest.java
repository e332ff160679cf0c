package io.rivet4j.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Runs the in-process lifecycle scenarios briefly so they keep working as the runtime changes. */
class LifecycleBenchTest {
  @Test
  @Timeout(60)
  void inProcessScenariosRunWithoutErrors(@TempDir Path dir) {
    LifecycleBench.Options o = new LifecycleBench.Options(true, Duration.ofMillis(50),
        Duration.ofMillis(200), 8, 20, 50, 1, 20, 2, LifecycleBench.DEFAULT_CHILD_FLAGS, dir,
        Duration.ofMillis(100));
    ByteArrayOutputStream progress = new ByteArrayOutputStream();
    Path jsonl = dir.resolve("rows.jsonl");
    LifecycleBench bench = new LifecycleBench(o, new PrintStream(progress, true,
        StandardCharsets.UTF_8), new JsonlResults(jsonl, "R", null, null));

    bench.run(List.of("create", "create-db", "wake", "wake-db", "broadcast", "chat"));

    assertEquals(List.of(), bench.errors(), () -> progress.toString(StandardCharsets.UTF_8));
    assertEquals(6, bench.sections().size());
    for (LifecycleBench.Section s : bench.sections()) {
      assertTrue(s.markdown().contains("| " + s.scenario() + " |"), s.markdown());
      assertTrue(!s.targets().isEmpty(), s.scenario());
    }
    // one row per table row: create and create-db have two (sequential, concurrent), broadcast
    // two (relaxed, durable), the others one
    List<String> rows = new ArrayList<>();
    try {
      for (String line : Files.readAllLines(jsonl)) {
        var row = new com.fasterxml.jackson.databind.ObjectMapper().readTree(line);
        assertEquals("lifecycle", row.get("suite").asText(), line);
        assertEquals(0, row.get("errors").asLong(), line);
        assertTrue(row.get("samples").asLong() > 0, line);
        rows.add(row.get("scenario").asText() + " " + row.get("contender").asText());
      }
      Files.delete(jsonl);
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
    assertEquals(List.of("create rivet4j-durable", "create rivet4j-durable",
        "create-db rivet4j-durable", "create-db rivet4j-durable", "wake rivet4j-durable",
        "wake-db rivet4j-durable", "broadcast rivet4j-relaxed", "broadcast rivet4j-durable",
        "chat rivet4j-durable"), rows);
    try (var left = Files.list(dir)) {
      assertEquals(0, left.count(), "a node directory was not deleted");
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void parsesScenariosAndOptions() {
    List<String> names = new ArrayList<>();
    LifecycleBench.Options o = LifecycleBench.Options.parse(new String[] {"lifecycle", "--smoke",
        "wake", "--measure=0.5", "--child-flags=-Xmx64m;-XX:+UseSerialGC"}, names);
    assertEquals(List.of("wake"), names);
    assertEquals(Duration.ofMillis(500), o.measure());
    assertEquals(List.of("-Xmx64m", "-XX:+UseSerialGC"), o.childFlags());
    assertTrue(o.smoke());
  }
}
