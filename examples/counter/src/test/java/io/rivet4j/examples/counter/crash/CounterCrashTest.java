package io.rivet4j.examples.counter.crash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.rivet4j.api.Key;
import io.rivet4j.api.RivetError;
import io.rivet4j.examples.counter.CounterActor;
import io.rivet4j.runtime.Registry;
import io.rivet4j.runtime.RivetRuntime;
import io.rivet4j.runtime.RuntimeConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Durable before acknowledged, checked with a real crash: a child JVM ({@link CrashChild}) runs
 * acknowledged {@code increment(1)} calls on {@value #KEYS} counters in the default DURABLE mode,
 * is killed with SIGKILL mid-load, and every increment it reported as acknowledged must be on disk
 * when the directory is opened again. Two rounds on the same directory (kill, verify, restart the
 * child, kill again, verify).
 *
 * <p>Per key and round the recovered count {@code r} must satisfy {@code maxAcked ≤ r ≤ previous +
 * acks + DEPTH}: nothing acknowledged is lost, and nothing beyond the at most {@value #DEPTH} calls
 * in flight (issued, not yet reported) was applied. The acknowledged values of a round must also
 * be distinct and above the previous round's recovered count.
 */
@Tag("crash")
class CounterCrashTest {
  private static final int KEYS = 200;
  private static final int THREADS = 8;
  private static final int DEPTH = 4;
  private static final int ROUNDS = 2;
  private static final long ACKS_BEFORE_KILL = 20_000;
  private static final Duration LOAD_TIMEOUT = Duration.ofSeconds(60);

  @TempDir
  Path dataDir;

  /** What one round's child reported, filled by its stdout reader thread. */
  private static final class RoundLog {
    final Map<String, Long> maxAck = new HashMap<>();
    final Map<String, Long> minAck = new HashMap<>();
    final Map<String, Long> acks = new HashMap<>();
    final List<String> errors = new ArrayList<>();
    volatile long totalAcks; // read by the test thread while the reader runs
    boolean ready;
    String partialTail = "";

    void line(String line) {
      if (line.equals("READY")) {
        ready = true;
        return;
      }
      String[] f = line.split(" ", 3);
      if (f.length == 3 && f[0].equals("ACK")) {
        long v = Long.parseLong(f[2]);
        maxAck.merge(f[1], v, Math::max);
        minAck.merge(f[1], v, Math::min);
        acks.merge(f[1], 1L, Long::sum);
        totalAcks++;
      } else {
        errors.add(line);
      }
    }
  }

  @Test
  void everyAcknowledgedIncrementSurvivesKillDashNine() throws Exception {
    Registry registry = Registry.builder().actor(CounterActor.definition()).build();
    Map<String, Long> recovered = new HashMap<>(); // after the previous round
    Map<String, Long> maxAckedEver = new HashMap<>();
    for (int i = 0; i < KEYS; i++) {
      recovered.put(key(i), 0L);
      maxAckedEver.put(key(i), 0L);
    }
    StringBuilder report = new StringBuilder();
    long started = System.nanoTime();
    for (int round = 1; round <= ROUNDS; round++) {
      RoundLog log = runChildAndKill(round);
      Map<String, Long> now = readCounts(registry);

      long acked = 0;
      long lost = 0;
      long unreported = 0; // applied but not (yet) reported: calls in flight at the kill
      long recoveredDelta = 0;
      List<String> problems = new ArrayList<>();
      for (int i = 0; i < KEYS; i++) {
        String k = key(i);
        long before = recovered.get(k);
        long r = now.get(k);
        long n = log.acks.getOrDefault(k, 0L);
        long max = Math.max(maxAckedEver.get(k), log.maxAck.getOrDefault(k, 0L));
        maxAckedEver.put(k, max);
        acked += n;
        recoveredDelta += r - before;
        if (r < max) {
          lost += max - r;
          problems.add(k + ": recovered " + r + " < acknowledged " + max);
        } else {
          unreported += r - Math.max(before, max);
        }
        if (r > before + n + DEPTH) {
          problems.add(k + ": recovered " + r + " > previous " + before + " + acks " + n
              + " + in-flight " + DEPTH);
        }
        if (n > 0 && log.minAck.get(k) <= before) {
          problems.add(k + ": acknowledged " + log.minAck.get(k) + " but the round started at "
              + before);
        }
        if (n > 0 && n > log.maxAck.get(k) - before) {
          problems.add(k + ": " + n + " acks but only " + (log.maxAck.get(k) - before)
              + " distinct values above " + before + " (an ack repeated)");
        }
      }
      long totalRecovered = now.values().stream().mapToLong(Long::longValue).sum();
      String line = String.format(
          "round %d: keys=%d acked=%d (this round) recovered=%d (total, +%d this round) "
              + "lost=%d applied-but-unreported=%d truncated-tail=%s",
          round, KEYS, acked, totalRecovered, recoveredDelta, lost, unreported,
          log.partialTail.isEmpty() ? "none" : "'" + log.partialTail + "'");
      report.append(line).append('\n');
      System.out.println("[crash] " + line);
      assertTrue(problems.isEmpty(), line + "\n" + String.join("\n",
          problems.subList(0, Math.min(50, problems.size()))));
      assertEquals(0, lost, line);
      recovered = now;
    }
    long totalAckedEver = maxAckedEver.values().stream().mapToLong(Long::longValue).sum();
    String summary = String.format("%d rounds in %d ms; acknowledged values (sum of per-key max)="
        + "%d, recovered=%d, lost=0", ROUNDS,
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started), totalAckedEver,
        recovered.values().stream().mapToLong(Long::longValue).sum());
    System.out.println("[crash] " + summary);
    System.out.print(report);
  }

  private static String key(int i) {
    return "crash-" + i;
  }

  /** Starts the child on {@link #dataDir}, waits for enough acks, SIGKILLs it, drains stdout. */
  private RoundLog runChildAndKill(int round) throws Exception {
    Path stderr = targetDir().resolve("crash-child-round" + round + ".stderr.log");
    List<String> cmd = new ArrayList<>();
    cmd.add(javaBinary());
    cmd.add("-Xmx512m");
    cmd.add("--enable-native-access=ALL-UNNAMED");
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(CrashChild.class.getName());
    cmd.add(dataDir.toString());
    cmd.add(Integer.toString(KEYS));
    cmd.add(Integer.toString(THREADS));
    cmd.add(Integer.toString(DEPTH));
    // The acks go to a file: a pipe's last bytes can be lost when the JDK reaps a killed
    // child while a read is in progress ("Stream closed"). The pipe carries progress only.
    Path stdout = targetDir().resolve("crash-child-round" + round + ".stdout.log");
    Process child = new ProcessBuilder(cmd)
        .redirectOutput(ProcessBuilder.Redirect.to(stdout.toFile()))
        .redirectError(ProcessBuilder.Redirect.PIPE)
        .redirectInput(ProcessBuilder.Redirect.PIPE) // kept open: EOF tells the child we died
        .start();
    RoundLog log = new RoundLog();
    CompletableFuture<Void> enough = new CompletableFuture<>();
    Thread reader = Thread.ofPlatform().name("crash-child-stderr-" + round)
        .start(() -> watchProgress(child.getErrorStream(), stderr, enough));
    try {
      try {
        enough.get(LOAD_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      } catch (TimeoutException e) {
        fail("round " + round + ": the child acknowledged fewer than " + ACKS_BEFORE_KILL
            + " increments within " + LOAD_TIMEOUT + " (a stall means replies never came:"
            + " lost or never-completed commits; alive=" + child.isAlive() + ")"
            + diagnostics(stderr));
      } catch (ExecutionException e) {
        fail("round " + round + ": " + e.getCause().getMessage() + " (alive=" + child.isAlive()
            + ")" + diagnostics(stderr));
      }
      assertTrue(child.isAlive(), "round " + round + ": the child exited on its own before the"
          + " kill" + diagnostics(stderr));
      child.destroyForcibly(); // SIGKILL on Linux
      assertTrue(child.waitFor(30, TimeUnit.SECONDS), "round " + round
          + ": the child did not die within 30 s of SIGKILL");
      assertEquals(137, child.exitValue(), "round " + round + ": exit status after SIGKILL"
          + diagnostics(stderr));
      reader.join(Duration.ofSeconds(30));
    } finally {
      if (child.isAlive()) {
        child.destroyForcibly();
        child.waitFor(30, TimeUnit.SECONDS);
      }
    }
    try (InputStream in = Files.newInputStream(stdout)) {
      readLines(in, log);
    }
    assertTrue(log.ready, "round " + round + ": the child never printed READY");
    assertTrue(log.errors.isEmpty(), "round " + round + ": child errors " + log.errors);
    return log;
  }

  /**
   * Copies the child's stderr to {@code logFile} and completes {@code enough} once the child
   * reports {@value #ACKS_BEFORE_KILL} acks written. Read errors after the kill are expected.
   */
  private static void watchProgress(InputStream in, Path logFile, CompletableFuture<Void> enough) {
    try (java.io.BufferedReader r = new java.io.BufferedReader(
            new InputStreamReader(in, StandardCharsets.UTF_8));
        java.io.Writer w = Files.newBufferedWriter(logFile)) {
      String line;
      while ((line = r.readLine()) != null) {
        if (line.startsWith("PROGRESS ")) {
          if (Long.parseLong(line.substring(9)) >= ACKS_BEFORE_KILL) {
            enough.complete(null);
          }
        } else {
          w.write(line);
          w.write('\n');
          w.flush();
        }
      }
    } catch (IOException | RuntimeException e) {
      // the child was killed while we read: nothing is lost, the acks are in the stdout file
    } finally {
      enough.completeExceptionally(new AssertionError("the child's stderr ended before it"
          + " reported " + ACKS_BEFORE_KILL + " acks"));
    }
  }

  /** Feeds complete ('\n'-terminated) lines to {@code log}; keeps a cut-off last line apart. */
  private static void readLines(InputStream in, RoundLog log) {
    StringBuilder current = new StringBuilder();
    char[] buf = new char[1 << 16];
    try (Reader r = new InputStreamReader(in, StandardCharsets.US_ASCII)) {
      int n;
      while ((n = r.read(buf)) >= 0) {
        for (int i = 0; i < n; i++) {
          char ch = buf[i];
          if (ch == '\n') {
            log.line(current.toString());
            current.setLength(0);
          } else {
            current.append(ch);
          }
        }
      }
    } catch (IOException | RuntimeException e) {
      log.errors.add("reading the child's stdout failed: " + e);
    } finally {
      // A line cut by the kill was never completely reported: it is not counted as an ack.
      log.partialTail = current.toString();
    }
  }

  /** Opens the directory in this JVM (as a restarted node would) and reads every count. */
  private Map<String, Long> readCounts(Registry registry) {
    Map<String, Long> counts = new HashMap<>();
    try (RivetRuntime rivet = RivetRuntime.start(registry,
        RuntimeConfig.builder(dataDir).build())) {
      for (int i = 0; i < KEYS; i++) {
        String k = key(i);
        long count;
        try {
          count = rivet.client().get("counter", Key.of(k)).action("getCount", Long.class);
        } catch (RivetError e) {
          if (!e.qualifiedCode().equals("actor.not_found")) {
            throw e;
          }
          count = 0; // never created: fine only if nothing was acknowledged for it
        }
        counts.put(k, count);
      }
    }
    return counts;
  }

  private static String javaBinary() {
    return ProcessHandle.current().info().command()
        .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
  }

  private static Path targetDir() throws IOException {
    Path base = Path.of(System.getProperty("basedir", "."));
    Path target = base.resolve("target");
    Files.createDirectories(target);
    return target;
  }

  private static String diagnostics(Path stderr) {
    try {
      String text = Files.readString(stderr);
      String tail = text.length() > 4000 ? text.substring(text.length() - 4000) : text;
      return "\nchild stderr (" + stderr + "), last 4000 chars:\n" + tail;
    } catch (IOException e) {
      return "\n(child stderr unreadable: " + e + ")";
    }
  }
}
