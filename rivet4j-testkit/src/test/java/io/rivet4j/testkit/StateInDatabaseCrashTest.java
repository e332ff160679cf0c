package io.rivet4j.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rivet4j.api.Key;
import io.rivet4j.runtime.Durability;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 of a process whose actors change their state and their SQL in one transaction
 * ({@code Actor.stateInDatabase()}): after the restart every actor's balance still equals 100
 * plus its ledger (both or neither), and no acknowledged move is missing.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class StateInDatabaseCrashTest {
  private static final Pattern ACK = Pattern.compile("ACK (acct\\d+) (\\d+) \\.");
  private static final int ACTORS = 6;
  private static final int ACKS_BEFORE_KILL = 1_500;

  @TempDir Path directory;

  @Test
  void stateAndRowsStayTogetherThroughKill9() throws Exception {
    Path data = directory.resolve("data");
    Path stderr = directory.resolve("child-stderr.txt");
    Process child = new ProcessBuilder(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
        StateInDatabaseCrashChild.class.getName(), data.toString(), String.valueOf(ACTORS))
        .redirectError(stderr.toFile())
        .start();
    Map<String, Long> highestAck = new TreeMap<>();
    int acks = 0;
    try (BufferedReader r = new BufferedReader(new InputStreamReader(child.getInputStream(),
        StandardCharsets.UTF_8))) {
      for (String line; acks < ACKS_BEFORE_KILL && (line = r.readLine()) != null; ) {
        Matcher m = ACK.matcher(line);
        if (m.matches()) {
          acks++;
          highestAck.merge(m.group(1), Long.parseLong(m.group(2)), Math::max);
        } else if (!line.equals("READY")) {
          throw new AssertionError("unexpected child output: " + line);
        }
      }
      child.toHandle().destroyForcibly(); // SIGKILL, mid-load
      assertTrue(child.waitFor(60, TimeUnit.SECONDS), "the child did not die");
      // acknowledgements already in the pipe count too (a line cut by the kill does not)
      for (String line; (line = r.readLine()) != null; ) {
        Matcher m = ACK.matcher(line);
        if (m.matches()) {
          acks++;
          highestAck.merge(m.group(1), Long.parseLong(m.group(2)), Math::max);
        }
      }
    }
    assertTrue(acks >= ACKS_BEFORE_KILL, "only " + acks + " acks; stderr: "
        + Files.readString(stderr));
    assertEquals(137, child.exitValue(), "killed by SIGKILL");

    try (TestRegistry rivet = TestRegistry.start(StateInDatabaseCrashChild.registry(), data,
        Durability.DURABLE)) {
      for (int i = 0; i < ACTORS; i++) {
        String key = "acct" + i;
        String check = rivet.client().get("account", Key.of(key)).action("check", String.class);
        // "<balance> {n=<rows>, s=<sum>}"
        Matcher m = Pattern.compile("(\\d+) \\{n=(\\d+), s=(\\d+)}").matcher(check);
        assertTrue(m.matches(), check);
        long balance = Long.parseLong(m.group(1));
        long rows = Long.parseLong(m.group(2));
        assertEquals(100 + Long.parseLong(m.group(3)), balance, key + ": state and SQL disagree");
        assertEquals(100 + rows, balance, key);
        long acked = highestAck.getOrDefault(key, 100L);
        assertTrue(balance >= acked, key + ": acknowledged balance " + acked + " lost (found "
            + balance + ")");
        System.out.printf("%s: acknowledged up to %d, recovered %d%n", key, acked, balance);
      }
    }
  }
}
