package io.rivet4j.runtime.internal.db;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.atomic.AtomicLong;

/** A clock that moves only when told to; optionally by {@code tick} on every read. */
final class ManualClock implements InstantSource {
  private final AtomicLong millis = new AtomicLong(1_700_000_000_000L);
  private volatile long tick;

  void advance(Duration d) {
    millis.addAndGet(d.toMillis());
  }

  /** Every later read first moves the clock by {@code d}. */
  void tickOnEveryRead(Duration d) {
    tick = d.toMillis();
  }

  @Override
  public long millis() {
    return millis.addAndGet(tick);
  }

  @Override
  public Instant instant() {
    return Instant.ofEpochMilli(millis());
  }
}
