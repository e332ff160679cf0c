package io.rivet4j.benchmarks;

import io.rivet4j.api.ActorHandle;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Drives one action against a set of actor handles from one thread, round-robin, with at most
 * {@code inflight} calls outstanding: warm-up, then a measured window.
 *
 * <p>Closed loop (rate 0): a new call starts as soon as one completes. Open loop (rate &gt; 0):
 * calls start on a fixed schedule, and a call's latency counts from its intended start, so a
 * stalled runtime shows up in the percentiles (no coordinated omission).
 *
 * <p>Latency is the time from just before {@code actionAsync} to the reply future's completion.
 */
final class LoadDriver {
  /** Latencies above this are clamped (and a run that sees them is broken anyway). */
  private static final long HIGHEST_NANOS = TimeUnit.SECONDS.toNanos(120);

  /**
   * What one measured window saw.
   *
   * @param ops calls completed in the window (successful or not)
   * @param errors calls completed exceptionally in warm-up or window
   * @param latency nanoseconds per call completed in the window
   * @param store commit counters over the window
   * @param jvmCores cores this JVM (runtime and generator) used in the window, 1.0 = one core
   */
  record Result(long ops, double seconds, long errors, String firstError, Histogram latency,
      StoreWindow store, double othersCpuShare, double jvmCores) {
    double opsPerSecond() {
      return ops / seconds;
    }
  }

  /** Store activity during the window. */
  record StoreWindow(long batches, long transactions, long failed, long maxOutstanding,
      String firstFailure) {}

  private LoadDriver() {}

  static Result run(List<ActorHandle> handles, String action, Object[] args, int inflight,
      double rate, Duration warmup, Duration measure, MeteredStore store) {
    Semaphore permits = new Semaphore(inflight);
    Recorder recorder = new Recorder(HIGHEST_NANOS, 3);
    LongAdder done = new LongAdder();
    LongAdder errors = new LongAdder();
    AtomicReference<Throwable> firstError = new AtomicReference<>();
    int n = handles.size();
    long interval = rate > 0 ? Math.max(1, (long) (1e9 / rate)) : 0;

    long start = System.nanoTime();
    long measureAt = start + warmup.toNanos();
    long endAt = measureAt + measure.toNanos();
    long next = start;
    boolean measuring = false;
    long measuredFrom = 0;
    long doneBefore = 0;
    MeteredStore.Counters storeBefore = null;
    CpuMeter cpu = null;
    long i = 0;
    while (true) {
      long now = System.nanoTime();
      if (!measuring && now >= measureAt) {
        measuring = true;
        recorder.reset();
        doneBefore = done.sum();
        store.resetMaxOutstanding();
        storeBefore = store.counters();
        cpu = CpuMeter.start();
        measuredFrom = now;
      }
      if (now >= endAt) {
        break;
      }
      long t0;
      if (interval > 0) {
        if (now < next) {
          LockSupport.parkNanos(Math.min(next - now, 20_000));
          continue;
        }
        t0 = next;
        next += interval;
        permits.acquireUninterruptibly(); // a full pipe delays the start; t0 keeps the debt
      } else {
        try {
          if (!permits.tryAcquire(10, TimeUnit.MILLISECONDS)) {
            continue; // re-check the clock
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
        t0 = System.nanoTime();
      }
      ActorHandle h = handles.get((int) (i++ % n));
      CompletionStage<Long> reply;
      try {
        reply = h.actionAsync(action, Long.class, args);
      } catch (RuntimeException e) {
        errors.increment();
        firstError.compareAndSet(null, e);
        done.increment();
        permits.release();
        continue;
      }
      reply.whenComplete((v, e) -> {
        recorder.recordValue(Math.min(HIGHEST_NANOS, System.nanoTime() - t0));
        if (e != null) {
          errors.increment();
          firstError.compareAndSet(null, e);
        }
        done.increment();
        permits.release();
      });
    }
    long measuredTo = System.nanoTime();
    Histogram latency = recorder.getIntervalHistogram();
    long ops = done.sum() - doneBefore;
    MeteredStore.Counters storeAfter = store.counters();
    double others = cpu.othersShare();
    double jvmCores = cpu.selfCores();
    // let every call finish before the node closes
    boolean drained;
    try {
      drained = permits.tryAcquire(inflight, 60, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      drained = false;
    }
    if (!drained) {
      errors.increment();
      firstError.compareAndSet(null, new IllegalStateException(
          (inflight - permits.availablePermits()) + " call(s) still pending 60 s after the run"));
    }
    StoreWindow sw = new StoreWindow(
        storeAfter.batchesCommitted() - storeBefore.batchesCommitted(),
        storeAfter.transactions() - storeBefore.transactions(),
        storeAfter.failed() - storeBefore.failed(), storeAfter.maxOutstanding(),
        store.firstFailure().map(Throwable::toString).orElse(null));
    Throwable fe = firstError.get();
    return new Result(ops, (measuredTo - measuredFrom) / 1e9, errors.sum(),
        fe == null ? null : fe.toString(), latency, sw, others, jvmCores);
  }
}
