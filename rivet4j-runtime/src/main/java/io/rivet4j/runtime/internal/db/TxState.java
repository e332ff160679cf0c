package io.rivet4j.runtime.internal.db;

import java.time.Duration;

/**
 * One level of a running transaction: the outermost ({@code BEGIN IMMEDIATE … COMMIT}) or a
 * nested one (a {@code SAVEPOINT}). Touched only by {@link #owner}, the thread that runs the
 * transaction's callback while holding the handle's lock.
 */
final class TxState {
  final DbHandle handle;
  final TxState parent;
  final Thread owner;
  final Duration timeout;
  /** Epoch millis after which the transaction expires; never later than the parent's. */
  final long deadlineMillis;
  final String savepoint;
  /** Outermost level only: BEGIN has run (it runs at the first statement). */
  boolean begun;
  boolean active = true;
  /** The actor's state when this level began (state kept in the database only), or null. */
  Object stateSnapshot;

  TxState(DbHandle handle, TxState parent, Duration timeout, long nowMillis, String savepoint) {
    this.handle = handle;
    this.parent = parent;
    this.owner = Thread.currentThread();
    this.timeout = timeout;
    long own = saturatedAdd(nowMillis, timeout.toMillis());
    this.deadlineMillis = parent == null ? own : Math.min(own, parent.deadlineMillis);
    this.savepoint = savepoint;
  }

  TxState root() {
    TxState t = this;
    while (t.parent != null) {
      t = t.parent;
    }
    return t;
  }

  int depth() {
    int d = 0;
    for (TxState t = parent; t != null; t = t.parent) {
      d++;
    }
    return d;
  }

  /** The level whose deadline has passed (outermost first), or null. */
  TxState expiredAt(long nowMillis) {
    TxState found = null;
    for (TxState t = this; t != null; t = t.parent) {
      if (nowMillis > t.deadlineMillis) {
        found = t;
      }
    }
    return found;
  }

  private static long saturatedAdd(long a, long b) {
    long r = a + b;
    return ((a ^ r) & (b ^ r)) < 0 ? Long.MAX_VALUE : r;
  }
}
