package io.rivet4j.runtime.internal.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rivet4j.api.Database;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * Measures what an actor database costs: creating a file, reopening one, a one-row commit and
 * the memory of an open connection (RSS from /proc/self/status, heap after GC). Prints the
 * numbers; asserts only that the measured work happened. A measurement, not a check, so it runs
 * only on request: {@code -Drivet4j.measure=true}.
 */
@EnabledIfSystemProperty(named = "rivet4j.measure", matches = "true")
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class DbFootprintTest {
  private static final int N = 300;
  private static final int HANDLES = 1_000;

  @TempDir Path directory;

  @Test
  void measure() throws Exception {
    // each round runs every case once, so all of them see the same disk and CPU load
    Path naiveDir = Files.createDirectories(directory.resolve("naive"));
    try (ActorDatabases dbs = new ActorDatabases(directory.resolve("lat"), DbOptions.defaults());
        FileChannel ref = FileChannel.open(directory.resolve("fsync-ref"),
            StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
      String[] cases = {"4 KiB write + fsync (disk reference)",
          "naive: open + journal_mode=WAL", "naive: … + CREATE TABLE (commit)",
          "new file: first statement (SELECT 1)", "new file: CREATE TABLE (commit)",
          "reopen + SELECT", "one-row INSERT commit (open handle)"};
      long[][] t = new long[cases.length][N];
      Database one = dbs.forActor("one");
      one.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)");
      for (int i = -100; i < N; i++) { // the first 100 rounds warm up the JIT
        long[] r = new long[cases.length];
        long t0 = System.nanoTime();
        ref.write(ByteBuffer.allocate(4096), 4096L * (i + 100));
        ref.force(false);
        r[0] = System.nanoTime() - t0;

        Path naive = naiveDir.resolve("n" + (i + 100) + ".db");
        t0 = System.nanoTime();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + naive);
            Statement st = c.createStatement()) {
          st.execute("PRAGMA journal_mode = WAL");
          r[1] = System.nanoTime() - t0;
          st.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)");
          r[2] = System.nanoTime() - t0;
        }

        Database select = dbs.forActor("sel" + (i + 100));
        t0 = System.nanoTime();
        select.execute("SELECT 1");
        r[3] = System.nanoTime() - t0;

        String id = "cre" + (i + 100);
        t0 = System.nanoTime();
        dbs.forActor(id).execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)");
        r[4] = System.nanoTime() - t0;

        dbs.closeIdle(id);
        t0 = System.nanoTime();
        dbs.forActor(id).execute("SELECT count(*) FROM t");
        r[5] = System.nanoTime() - t0;

        t0 = System.nanoTime();
        one.execute("INSERT INTO t (v) VALUES (?)", "row " + i);
        r[6] = System.nanoTime() - t0;
        if (i >= 0) {
          for (int k = 0; k < cases.length; k++) {
            t[k][i] = r[k];
          }
        }
      }
      System.out.printf("actor db latency, %d rounds (ms, p50 / p90 / p99):%n", N);
      for (int k = 0; k < cases.length; k++) {
        print(cases[k], t[k]);
      }
      assertEquals(java.util.List.of(N + 100L),
          one.query(Long.class, "SELECT count(*) FROM t"));
    }

    if (!Files.exists(Path.of("/proc/self/status"))) {
      return; // RSS is read from /proc
    }
    for (int pageSize : new int[] {4096, 1024}) {
      Path memDir = directory.resolve("mem" + pageSize);
      try (ActorDatabases dbs = new ActorDatabases(memDir,
          DbOptions.defaults().withPageSize(pageSize))) {
        for (int i = -1; i < HANDLES; i++) {
          String id = i < 0 ? "warm" : id(i);
          dbs.forActor(id).execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)");
          dbs.forActor(id).execute("INSERT INTO t (v) VALUES ('hello')");
        }
      }
      Process child = new ProcessBuilder(
          Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-cp", System.getProperty("java.class.path"),
          DbFootprintChild.class.getName(), memDir.toString(), String.valueOf(HANDLES))
          .redirectError(ProcessBuilder.Redirect.DISCARD)
          .start();
      String out = new String(child.getInputStream().readAllBytes(),
          java.nio.charset.StandardCharsets.UTF_8).trim();
      assertTrue(child.waitFor(120, TimeUnit.SECONDS));
      assertEquals(0, child.exitValue(), out);
      String[] f = out.substring(out.indexOf("FOOTPRINT ") + "FOOTPRINT ".length()).split(" ");
      System.out.printf("per open handle, %d B pages (%d handles, fresh JVM): after a read RSS"
          + " %s B, heap %s B; after a write too RSS %s B, heap %s B%n", pageSize, HANDLES, f[0],
          f[1], f[2], f[3]);
    }
  }

  static String id(int i) {
    return String.format("mem%04d", i);
  }

  private static void print(String what, long[] nanos) {
    long[] sorted = nanos.clone();
    Arrays.sort(sorted);
    System.out.printf("  %-40s %6.3f / %6.3f / %6.3f%n", what, sorted[sorted.length / 2] / 1e6,
        sorted[sorted.length * 9 / 10] / 1e6, sorted[sorted.length * 99 / 100] / 1e6);
  }

}
