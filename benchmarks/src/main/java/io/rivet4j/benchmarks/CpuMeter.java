package io.rivet4j.benchmarks;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How much CPU other processes took during a window: machine-wide busy time from
 * {@code /proc/stat} minus this JVM's CPU time (and minus the watched server processes', when
 * given). Benchmarks on a shared 2-core machine are only comparable when this is near zero. NaN
 * where {@code /proc/stat} is unavailable.
 */
final class CpuMeter {
  private static final double TICK_NANOS = 1e9 / 100; // USER_HZ is 100 on Linux

  private final long machineBusyNanos;
  private final long processNanos;
  private final long wallNanos;
  private final long[] serverPids;
  private final long serverNanos;
  private final long generatorNanos;

  private CpuMeter(long machineBusyNanos, long processNanos, long wallNanos, long[] serverPids,
      long serverNanos, long generatorNanos) {
    this.machineBusyNanos = machineBusyNanos;
    this.processNanos = processNanos;
    this.wallNanos = wallNanos;
    this.serverPids = serverPids;
    this.serverNanos = serverNanos;
    this.generatorNanos = generatorNanos;
  }

  static CpuMeter start() {
    return start(new long[0]);
  }

  /** A window that also watches the CPU time of the server processes {@code serverPids}. */
  static CpuMeter start(long[] serverPids) {
    return new CpuMeter(machineBusy(), processCpu(), System.nanoTime(), serverPids.clone(),
        processesCpu(serverPids), generatorThreadsCpu());
  }

  /**
   * Cores used since the start by this JVM's load-generator threads: the JDK client's
   * ({@code HttpClient-…} selector, the {@code bench-client-…} executor, the sequential callers
   * {@code bench-http}/{@code bench-seq}) and {@link NettyWsDriver}'s event loops. NaN where
   * thread CPU time is not measured. A generator thread that ends within the window is missed.
   */
  double generatorCores() {
    long now = generatorThreadsCpu();
    if (now < 0 || generatorNanos < 0) {
      return Double.NaN;
    }
    return (now - generatorNanos) / (double) (System.nanoTime() - wallNanos);
  }

  static boolean isGeneratorThread(String name) {
    return name.startsWith("HttpClient-") || name.startsWith("bench-client-")
        || name.equals("bench-http") || name.equals("bench-seq")
        || name.startsWith(NettyWsDriver.THREAD_PREFIX);
  }

  private static long generatorThreadsCpu() {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    if (!threads.isThreadCpuTimeSupported() || !threads.isThreadCpuTimeEnabled()) {
      return -1;
    }
    long sum = 0;
    for (ThreadInfo t : threads.getThreadInfo(threads.getAllThreadIds())) {
      if (t != null && isGeneratorThread(t.getThreadName())) {
        sum += Math.max(0, threads.getThreadCpuTime(t.getThreadId()));
      }
    }
    return sum;
  }

  /** Share of all cores used by other processes since {@link #start()}, 0..1 (or NaN). */
  double othersShare() {
    long busy = machineBusy();
    if (busy < 0 || machineBusyNanos < 0) {
      return Double.NaN;
    }
    double others = (busy - machineBusyNanos) - (processCpu() - processNanos)
        - Math.max(0, processesCpu(serverPids) - serverNanos);
    double capacity = (System.nanoTime() - wallNanos) * (double) machineCpus();
    return Math.max(0, Math.min(1, others / capacity));
  }

  /** Cores used by this JVM since the start (1.0 = one core busy the whole window). */
  double selfCores() {
    return (processCpu() - processNanos) / (double) (System.nanoTime() - wallNanos);
  }

  /** Cores used by the watched server processes since the start, NaN if none or unknown. */
  double serverCores() {
    long now = processesCpu(serverPids);
    if (serverPids.length == 0 || now < 0 || serverNanos < 0) {
      return Double.NaN;
    }
    return (now - serverNanos) / (double) (System.nanoTime() - wallNanos);
  }

  /**
   * The machine's CPUs (the {@code cpuN} lines of {@code /proc/stat}), not this process's:
   * {@code availableProcessors()} counts only the CPUs of its affinity mask (1 under
   * {@code taskset -c 1}), while the busy time is the whole machine's.
   */
  static int machineCpus() {
    try {
      return (int) Math.max(1, Files.readAllLines(Path.of("/proc/stat")).stream()
          .filter(l -> l.matches("cpu\\d+ .*")).count());
    } catch (IOException | RuntimeException e) {
      return Runtime.getRuntime().availableProcessors();
    }
  }

  private static long processCpu() {
    var os = ManagementFactory.getOperatingSystemMXBean();
    return os instanceof com.sun.management.OperatingSystemMXBean sun
        ? sun.getProcessCpuTime() : 0;
  }

  /** utime+stime of the processes from {@code /proc/<pid>/stat}, in nanoseconds; -1 if unknown. */
  private static long processesCpu(long[] pids) {
    long ticks = 0;
    for (long pid : pids) {
      try {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" "); // f[0] is field 3
        ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]);
      } catch (IOException | RuntimeException e) {
        return -1;
      }
    }
    return (long) (ticks * TICK_NANOS);
  }

  /** user+nice+system+irq+softirq+steal of the "cpu" line, in nanoseconds; -1 if unknown. */
  private static long machineBusy() {
    try {
      String line = Files.readAllLines(Path.of("/proc/stat")).get(0);
      String[] f = line.trim().split("\\s+");
      long ticks = 0;
      for (int i : new int[] {1, 2, 3, 6, 7, 8}) {
        ticks += Long.parseLong(f[i]);
      }
      return (long) (ticks * TICK_NANOS);
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }
}
