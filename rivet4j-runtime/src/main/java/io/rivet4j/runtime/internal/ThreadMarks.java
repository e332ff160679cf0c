package io.rivet4j.runtime.internal;

/**
 * What the runtime marks on a thread: whether it may run actions inline (a server event loop,
 * {@link Node#allowInlineTurns()}) and the actor whose turn it is running. One instance per
 * thread, made on the thread's first use and only ever touched by that thread; so entering and
 * leaving a turn are two field writes, where a {@code ThreadLocal} set and remove per turn made
 * a new map entry (a weak reference) each time.
 */
final class ThreadMarks {
  private static final ThreadLocal<ThreadMarks> MARKS = ThreadLocal.withInitial(ThreadMarks::new);

  /** The thread may run short actions inline ({@link InlineProfile}). */
  boolean inlineAllowed;
  /** The actor whose turn runs on this thread now, or null. */
  ActorCell current;

  private ThreadMarks() {}

  /** The calling thread's marks. */
  static ThreadMarks get() {
    return MARKS.get();
  }
}
