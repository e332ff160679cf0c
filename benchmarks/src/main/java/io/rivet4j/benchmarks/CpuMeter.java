package io.rivet4j.benchmarks;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How much CPU other processes took during a window: machine-wide busy time from
 * {@code /proc/stat} minus this JVM's CPU time. Benchmarks on a shared 2-core machine are only
 * comparable when this is near zero. NaN where {@code /proc/stat} is unavailable.
 */
final class CpuMeter {
  private static final double TICK_NANOS = 1e9 / 100; // USER_HZ is 100 on Linux

  private final long machineBusyNanos;
  private final long processNanos;
  private final long wallNanos;

  private CpuMeter(long machineBusyNanos, long processNanos, long wallNanos) {
    this.machineBusyNanos = machineBusyNanos;
    this.processNanos = processNanos;
    this.wallNanos = wallNanos;
  }

  static CpuMeter start() {
    return new CpuMeter(machineBusy(), processCpu(), System.nanoTime());
  }

  /** Share of all cores used by other processes since {@link #start()}, 0..1 (or NaN). */
  double othersShare() {
    long busy = machineBusy();
    if (busy < 0 || machineBusyNanos < 0) {
      return Double.NaN;
    }
    double others = (busy - machineBusyNanos) - (processCpu() - processNanos);
    double capacity = (System.nanoTime() - wallNanos)
        * (double) Runtime.getRuntime().availableProcessors();
    return Math.max(0, Math.min(1, others / capacity));
  }

  private static long processCpu() {
    var os = ManagementFactory.getOperatingSystemMXBean();
    return os instanceof com.sun.management.OperatingSystemMXBean sun
        ? sun.getProcessCpuTime() : 0;
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
