package io.rivet4j.runtime.internal;

/**
 * Context methods that may block (SQL, blocking actor-to-actor calls, waiting for a commit)
 * report themselves here, so that the running action is never run inline on an event loop
 * again ({@link InlineProfile}).
 */
public final class BlockingCalls {
  private BlockingCalls() {}

  /** The running turn on this thread (if any) used a blocking method. */
  public static void mark() {
    ActorCell c = ActorCell.current();
    if (c != null) {
      c.markBlocking();
    }
  }
}
