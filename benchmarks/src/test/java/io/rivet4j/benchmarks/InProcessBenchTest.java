package io.rivet4j.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Runs the load generator briefly so the benchmark code keeps working as the runtime changes. */
class InProcessBenchTest {
  @Test
  @Timeout(30)
  void shortDurableRunCompletesCallsWithoutErrors(@TempDir Path dir) throws Exception {
    BenchOptions o = new BenchOptions(Duration.ofMillis(100), Duration.ofMillis(300), 1,
        List.of(64), 0, 50, 1000, 20, dir, true);
    ByteArrayOutputStream progress = new ByteArrayOutputStream();
    InProcessBench.LoadRow row = InProcessBench.runLoad(InProcessBench.Load.DURABLE_1000, 64, o,
        new PrintStream(progress, true, StandardCharsets.UTF_8));

    LoadDriver.Result run = row.runs().get(0);
    assertEquals(0, row.errors(), () -> "first error: " + run.firstError()
        + "; first failed commit: " + run.store().firstFailure());
    assertTrue(run.ops() > 0, "no call completed in the measured window");
    assertTrue(run.latency().getTotalCount() > 0, "no latency recorded");
    assertTrue(run.store().batches() > 0, "no state change reached the store");
    try (var left = Files.list(dir)) {
      assertEquals(0, left.count(), "the run's node directory was not deleted");
    }
  }

  @Test
  void parsesScenariosAndOptions() {
    List<String> names = new java.util.ArrayList<>();
    BenchOptions o = BenchOptions.parse(new String[] {"--smoke", "--inflight=8,16", "read-1000",
        "--measure=0.5"}, names);
    assertEquals(List.of("read-1000"), names);
    assertEquals(List.of(8, 16), o.inflight());
    assertEquals(Duration.ofMillis(500), o.measure());
    assertTrue(o.smoke());
  }
}
