package io.rivet4j.examples.counter.crash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rivet4j.api.Key;
import io.rivet4j.examples.counter.Counter;
import io.rivet4j.examples.counter.CounterActor;
import io.rivet4j.runtime.Registry;
import io.rivet4j.runtime.RivetRuntime;
import io.rivet4j.runtime.RuntimeConfig;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM stops a node gracefully: every awake actor sleeps, storage is flushed and closed, and
 * the process exits with status 0; all state is there when the directory is opened again.
 */
@Tag("crash")
class GracefulShutdownTest {
  private static final int KEYS = 50;
  private static final int TIMES = 4;

  @TempDir
  Path dataDir;

  @Test
  void sigtermSleepsEveryActorFlushesAndExitsZero() throws Exception {
    Path stderr = Path.of("target", "shutdown-child.stderr.log");
    Files.createDirectories(stderr.getParent());
    Process child = new ProcessBuilder(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"),
        ShutdownChild.class.getName(), dataDir.toString(), String.valueOf(KEYS),
        String.valueOf(TIMES))
        .redirectError(stderr.toFile())
        .start();
    try {
      BufferedReader out = new BufferedReader(
          new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
      String line = out.readLine();
      assertEquals("DONE " + (KEYS * TIMES) + " awake=" + KEYS, line);
      child.destroy(); // SIGTERM
      assertTrue(child.waitFor(60, TimeUnit.SECONDS), "child did not exit after SIGTERM");
      assertEquals(0, child.exitValue(), "exit status after SIGTERM; stderr in " + stderr);
      String log = Files.readString(stderr);
      assertTrue(log.contains("SIGTERM: " + KEYS + " actor(s) slept and storage closed"), log);
    } finally {
      child.destroyForcibly();
    }
    Registry registry = Registry.builder().actor(CounterActor.definition()).build();
    try (RivetRuntime rivet = RivetRuntime.start(registry, RuntimeConfig.builder(dataDir)
        .build())) {
      for (int k = 0; k < KEYS; k++) {
        assertEquals(TIMES, rivet.client().get(Counter.class, Key.of("shutdown-" + k))
            .getCount());
      }
    }
  }
}
