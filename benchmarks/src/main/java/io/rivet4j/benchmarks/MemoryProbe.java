package io.rivet4j.benchmarks;

import io.rivet4j.api.ActorHandle;
import io.rivet4j.runtime.Durability;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.management.ObjectName;

/**
 * Heap per actor: creates {@code count} counters in relaxed mode (idle sleep an hour away), calls
 * each once, and compares used heap after full GCs with the baseline taken just before; then
 * sleeps them all and measures again; then as many more actors again, never more than {@link
 * #WAVE} awake at once, and measures what they added. A class histogram diff says where the
 * bytes go.
 *
 * <p>The benchmark's own references (one id per actor in an array allocated before the baseline)
 * are dropped before the sleeping measurement; while the actors are awake the runtime holds the
 * same id strings, so they count as the runtime's.
 */
final class MemoryProbe {
  private static final Pattern HISTO_LINE =
      Pattern.compile("^\\s*\\d+:\\s+(\\d+)\\s+(\\d+)\\s+(\\S+).*$");

  /** Filler arrays plug holes in the heap (dead space); the histogram lists them, we do not. */
  private static final String FILLER = "[Ljdk.internal.vm.FillerElement";
  private static final String TOTAL = "(all classes)";

  /** One class's growth, per actor. */
  record ClassGrowth(String className, double instancesPerActor, double bytesPerActor) {}

  /**
   * The counter's action timeout here. The runtime has kept a per-actor watchdog timer that long
   * (holding the cell after sleep); the last reading waits it out to tell timer-held memory from
   * a leak.
   */
  static final Duration ACTION_TIMEOUT = Duration.ofSeconds(5);

  /**
   * Heap readings: {@code *Bytes} are live bytes from the class histogram (which runs a full GC
   * and counts reachable objects only; filler arrays excluded); {@code *UsedBytes} are {@link
   * MemoryMXBean} used-heap readings after three {@code System.gc()} calls (coarser: they also
   * count whatever the collector left in survivor or eden space, ± a few MB).
   */
  record Result(int actors, double createSeconds, double sleepSeconds, long baselineBytes,
      long awakeBytes, long sleepingBytes, long sleepingLaterBytes, long baselineUsedBytes,
      long awakeUsedBytes, List<ClassGrowth> awakeTop, List<ClassGrowth> sleepingTop,
      List<ClassGrowth> sleepingLaterTop, long moreSleepingDeltaBytes,
      List<ClassGrowth> moreSleepingTop) {
    double bytesPerAwake() {
      return (awakeBytes - baselineBytes) / (double) actors;
    }

    /** The same from {@link MemoryMXBean} used-heap readings. */
    double usedBytesPerAwake() {
      return (awakeUsedBytes - baselineUsedBytes) / (double) actors;
    }

    double bytesPerSleeping() {
      return (sleepingBytes - baselineBytes) / (double) actors;
    }

    /** Per sleeping actor once {@link #ACTION_TIMEOUT} has passed since the last call. */
    double bytesPerSleepingLater() {
      return (sleepingLaterBytes - baselineBytes) / (double) actors;
    }

    /**
     * What each of {@code actors} more sleeping actors added, created, called and put to sleep
     * in waves of {@link #WAVE} (so that no table grows for them): the cost of a sleeping actor
     * itself, without the capacity that the first population's peak left in hash tables and
     * queues.
     */
    double bytesPerMoreSleeping() {
      return moreSleepingDeltaBytes / (double) actors;
    }
  }

  private record Count(long instances, long bytes) {}

  /** Actors awake at once while the second population is created. */
  static final int WAVE = 1_000;

  private MemoryProbe() {}

  static Result run(Path dataDir, int count) {
    try (BenchNode node = BenchNode.open(dataDir, Durability.RELAXED, Duration.ofHours(1),
        ACTION_TIMEOUT)) {
      // warm the code paths (create, call, sleep) so the baseline holds their classes; wait
      // out their watchdog timers so the baseline does not hold their cells
      String[] warm = node.createCounters("warm-", 500, 256);
      callEach(node, warm);
      sleepAll(node, warm, Duration.ofSeconds(60));
      pause(ACTION_TIMEOUT.toMillis() + 1500);

      String[] ids = new String[count];
      long baselineUsed = usedAfterGc();
      Map<String, Count> histoBase = histogram();

      long t0 = System.nanoTime();
      node.createCounters("idle-", ids, 512);
      callEach(node, ids);
      double createSeconds = (System.nanoTime() - t0) / 1e9;
      awaitCommits(node);
      if (node.rivet.node().awakeCount() < count) {
        throw new IllegalStateException("only " + node.rivet.node().awakeCount() + " of " + count
            + " actors are awake");
      }
      long awakeUsed = usedAfterGc();
      Map<String, Count> histoAwake = histogram();

      long t1 = System.nanoTime();
      sleepAll(node, ids, Duration.ofSeconds(300));
      double sleepSeconds = (System.nanoTime() - t1) / 1e9;
      java.util.Arrays.fill(ids, null);
      awaitCommits(node);
      Map<String, Count> histoSleep = histogram();
      pause(ACTION_TIMEOUT.toMillis() + 1500);
      Map<String, Count> histoLater = histogram();
      long laterBytes = total(histoLater);
      List<ClassGrowth> laterTop = top(histoBase, histoLater, count, 8);
      // the base of the next diff, read while one histogram (histoLater) is held, as this one
      // is held at the next reading: the benchmark's own maps cancel out
      Map<String, Count> histoBefore = histogram();
      histoLater = null;

      for (int done = 0; done < count; done += WAVE) {
        String[] wave = node.createCounters("more-" + done + "-", Math.min(WAVE, count - done),
            256);
        callEach(node, wave);
        sleepAll(node, wave, Duration.ofSeconds(60));
      }
      awaitCommits(node);
      pause(ACTION_TIMEOUT.toMillis() + 1500);
      Map<String, Count> histoMore = histogram();
      return new Result(count, createSeconds, sleepSeconds, total(histoBase), total(histoAwake),
          total(histoSleep), laterBytes, baselineUsed, awakeUsed,
          top(histoBase, histoAwake, count, 14), top(histoBase, histoSleep, count, 8),
          laterTop, total(histoMore) - total(histoBefore),
          top(histoBefore, histoMore, count, 8));
    }
  }

  private static long total(Map<String, Count> histogram) {
    Count c = histogram.get(TOTAL);
    if (c == null) {
      throw new IllegalStateException("the GC.class_histogram diagnostic command is unavailable");
    }
    return c.bytes();
  }

  /** One increment per actor, at most 1,024 in flight; fails on the first error. */
  private static void callEach(BenchNode node, String[] ids) {
    Semaphore permits = new Semaphore(1024);
    List<ActorHandle> handles = node.handles(ids);
    List<CompletableFuture<Long>> all = new ArrayList<>(ids.length);
    for (ActorHandle h : handles) {
      permits.acquireUninterruptibly();
      CompletableFuture<Long> f = h.actionAsync("increment", Long.class, 1L).toCompletableFuture();
      f.whenComplete((v, e) -> permits.release());
      all.add(f);
    }
    CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).join();
  }

  private static void sleepAll(BenchNode node, String[] ids, Duration timeout) {
    for (String id : ids) {
      node.rivet.node().requestSleep(id);
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    while (node.rivet.node().awakeCount() > 0) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(node.rivet.node().awakeCount()
            + " actor(s) still awake " + timeout.toSeconds() + " s after requestSleep");
      }
      pause(20);
    }
  }

  private static void awaitCommits(BenchNode node) {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (node.store.outstanding() > 0 && System.nanoTime() < deadline) {
      pause(20);
    }
  }

  /** Used heap after three explicit full GCs. */
  static long usedAfterGc() {
    MemoryMXBean mem = ManagementFactory.getMemoryMXBean();
    for (int i = 0; i < 3; i++) {
      System.gc();
      pause(150);
    }
    return mem.getHeapMemoryUsage().getUsed();
  }

  private static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /** Live objects per class, from the GC.class_histogram diagnostic command (empty if absent). */
  private static Map<String, Count> histogram() {
    Map<String, Count> out = new HashMap<>();
    String text;
    try {
      text = (String) ManagementFactory.getPlatformMBeanServer().invoke(
          new ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
          new Object[] {new String[0]}, new String[] {String[].class.getName()});
    } catch (Exception e) {
      return out;
    }
    long instances = 0;
    long bytes = 0;
    for (String line : text.split("\n")) {
      Matcher m = HISTO_LINE.matcher(line);
      if (m.matches() && !m.group(3).startsWith(FILLER)) {
        instances += Long.parseLong(m.group(1));
        bytes += Long.parseLong(m.group(2));
        out.merge(m.group(3), new Count(Long.parseLong(m.group(1)), Long.parseLong(m.group(2))),
            (a, b) -> new Count(a.instances + b.instances, a.bytes + b.bytes));
      }
    }
    out.put(TOTAL, new Count(instances, bytes));
    return out;
  }

  private static List<ClassGrowth> top(Map<String, Count> before, Map<String, Count> after,
      int actors, int limit) {
    List<ClassGrowth> rows = new ArrayList<>();
    for (var e : after.entrySet()) {
      Count b = before.getOrDefault(e.getKey(), new Count(0, 0));
      long dBytes = e.getValue().bytes - b.bytes;
      long dInst = e.getValue().instances - b.instances;
      if (dBytes > 0 && !e.getKey().equals(TOTAL)) {
        rows.add(new ClassGrowth(e.getKey(), dInst / (double) actors, dBytes / (double) actors));
      }
    }
    rows.sort((x, y) -> Double.compare(y.bytesPerActor(), x.bytesPerActor()));
    return rows.subList(0, Math.min(limit, rows.size()));
  }
}
