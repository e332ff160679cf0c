package io.rivet4j.runtime.internal.db;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Opens {@code count} existing actor databases in a fresh JVM and prints what they added to the
 * process: {@code FOOTPRINT <rss after reads> <heap after reads> <rss after writes> <heap after
 * writes>} in bytes per open connection. A fresh process, so memory freed by earlier
 * connections (kept by malloc) does not hide the cost.
 */
public final class DbFootprintChild {
  private DbFootprintChild() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    int count = Integer.parseInt(args[1]);
    try (ActorDatabases dbs = new ActorDatabases(dir, DbOptions.defaults())) {
      for (int i = 0; i < 300; i++) { // JIT warm-up on one connection, opened and closed
        dbs.forActor("warm").execute("SELECT v FROM t WHERE id = 1");
        dbs.forActor("warm").execute("INSERT INTO t (v) VALUES ('x')");
        dbs.closeIdle("warm");
      }
      long rss0 = rss();
      long heap0 = heap();
      for (int i = 0; i < count; i++) {
        dbs.forActor(DbFootprintTest.id(i)).execute("SELECT v FROM t WHERE id = 1");
      }
      long rss1 = rss();
      long heap1 = heap();
      for (int i = 0; i < count; i++) {
        dbs.forActor(DbFootprintTest.id(i)).execute("INSERT INTO t (v) VALUES (?)", "x");
      }
      long rss2 = rss();
      long heap2 = heap();
      if (dbs.openHandles() != count) {
        throw new IllegalStateException("open " + dbs.openHandles());
      }
      System.out.println("FOOTPRINT " + (rss1 - rss0) / count + " " + (heap1 - heap0) / count
          + " " + (rss2 - rss0) / count + " " + (heap2 - heap0) / count);
    }
  }

  static long rss() throws java.io.IOException {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("\\D+", "")) * 1024;
      }
    }
    return 0;
  }

  static long heap() {
    System.gc();
    System.gc();
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }
}
