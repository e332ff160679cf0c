package io.rivet4j.runtime.internal.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Durability across kill -9: every insert a child JVM acknowledged (after its commit returned)
 * is in the database when the files are reopened.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class KillNineTest {
  private static final Pattern ACK = Pattern.compile("ACK (kn\\d{3}) (\\d+) \\.");
  private static final String EOF = "\0EOF";
  private static final int ACTORS = 24;
  private static final int THREADS = 4;
  private static final int ACKS_BEFORE_KILL = 3_000;

  @TempDir Path directory;

  @Test
  void everyAcknowledgedRowSurvivesKill9() throws Exception {
    Path dbDir = directory.resolve("dbs");
    Path stderr = directory.resolve("child-stderr.txt");
    Process child = new ProcessBuilder(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"),
        KillNineChild.class.getName(), dbDir.toString(), String.valueOf(ACTORS),
        String.valueOf(THREADS))
        .redirectError(stderr.toFile())
        .start();
    BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    Thread reader = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(
          new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line; (line = r.readLine()) != null; ) {
          lines.add(line);
        }
      } catch (IOException e) {
        lines.add("IOERROR " + e);
      } finally {
        lines.add(EOF);
      }
    }, "child-stdout");
    reader.start();

    Map<String, Set<Long>> acked = new TreeMap<>();
    int ackCount = 0;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    try {
      while (ackCount < ACKS_BEFORE_KILL) {
        String line = lines.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        if (line == null || line.equals(EOF)) {
          throw new AssertionError("the child stopped or stalled after " + ackCount + " acks;"
              + " stderr: " + Files.readString(stderr));
        }
        ackCount += record(line, acked);
      }
    } finally {
      // SIGKILL through the ProcessHandle: Process.destroyForcibly() would also close our end
      // of the pipe and drop the acknowledgements still in it
      child.toHandle().destroyForcibly();
      assertTrue(child.waitFor(60, TimeUnit.SECONDS), "the child did not die");
    }
    assertEquals(137, child.exitValue(), "killed by SIGKILL");
    // acks already written to the pipe before the kill count too
    for (String line = take(lines); !line.equals(EOF); ) {
      String next = take(lines);
      if (next.equals(EOF) && line.startsWith("ACK ") && !ACK.matcher(line).matches()) {
        break; // the last line, cut by the kill before its end marker: not an acknowledgement
      }
      ackCount += record(line, acked);
      line = next;
    }
    reader.join(TimeUnit.SECONDS.toMillis(30));
    assertFalse(reader.isAlive());

    int found = 0;
    int lost = 0;
    List<String> missing = new ArrayList<>();
    try (ActorDatabases dbs = new ActorDatabases(dbDir, DbOptions.defaults())) {
      for (Map.Entry<String, Set<Long>> e : acked.entrySet()) {
        Set<Long> present = new HashSet<>(
            dbs.forActor(e.getKey()).query(Long.class, "SELECT id FROM acks"));
        found += present.size();
        for (long id : e.getValue()) {
          if (!present.contains(id)) {
            lost++;
            missing.add(e.getKey() + "/" + id);
          }
        }
      }
    }
    System.out.printf("kill -9: %d acknowledged rows in %d actors, %d rows on disk, %d lost%n",
        ackCount, acked.size(), found, lost);
    assertTrue(ackCount >= ACKS_BEFORE_KILL);
    assertEquals(ACTORS, acked.size());
    assertEquals(List.of(), missing, "acknowledged rows lost");
    assertTrue(found >= ackCount, "rows on disk " + found + " < acks " + ackCount);
  }

  private static int record(String line, Map<String, Set<Long>> acked) {
    Matcher m = ACK.matcher(line);
    if (!m.matches()) {
      if (!line.startsWith("READY")) {
        throw new AssertionError("unexpected child output: " + line);
      }
      System.out.println("child: " + line);
      return 0;
    }
    boolean fresh = acked.computeIfAbsent(m.group(1), k -> new HashSet<>())
        .add(Long.parseLong(m.group(2)));
    assertTrue(fresh, "acknowledged twice: " + line);
    return 1;
  }

  private static String take(BlockingQueue<String> lines) throws InterruptedException {
    String line = lines.poll(30, TimeUnit.SECONDS);
    if (line == null) {
      throw new AssertionError("the child's output did not end within 30 s of the kill");
    }
    return line;
  }
}
