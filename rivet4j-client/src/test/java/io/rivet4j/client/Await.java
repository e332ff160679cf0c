package io.rivet4j.client;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import java.util.function.Supplier;

/** Bounded waits for tests: every wait fails the test after {@link #TIMEOUT}. */
final class Await {
  static final Duration TIMEOUT = Duration.ofSeconds(20);

  private Await() {}

  static <T> T take(BlockingQueue<T> queue) throws InterruptedException {
    T item = queue.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    assertNotNull(item, "nothing arrived within " + TIMEOUT);
    return item;
  }

  static <T> T done(CompletionStage<T> stage) throws InterruptedException {
    try {
      return stage.toCompletableFuture().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new AssertionError("failed: " + e.getCause(), e.getCause());
    } catch (TimeoutException e) {
      throw new AssertionError("not done within " + TIMEOUT, e);
    }
  }

  /** The exception {@code stage} fails with (unwrapped). */
  static Throwable failure(CompletionStage<?> stage) throws InterruptedException {
    try {
      Object v = stage.toCompletableFuture().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      throw new AssertionError("expected a failure, got " + v);
    } catch (ExecutionException e) {
      return e.getCause();
    } catch (TimeoutException e) {
      throw new AssertionError("not done within " + TIMEOUT, e);
    }
  }

  /** Waits until {@code condition} holds, checking whenever {@code signal} delivers. */
  static <T> void until(BlockingQueue<T> signal, Supplier<Boolean> condition)
      throws InterruptedException {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (!condition.get()) {
      long left = deadline - System.nanoTime();
      if (left <= 0 || signal.poll(left, TimeUnit.NANOSECONDS) == null && !condition.get()) {
        fail("condition not reached within " + TIMEOUT);
      }
    }
  }

  /**
   * Repeats {@code call} (a request to the server: each repetition waits for its answer, never
   * for time to pass) until its result satisfies {@code done}, and returns that result.
   */
  static <T> T poll(Supplier<T> call, Predicate<T> done) {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    T last = call.get();
    while (!done.test(last)) {
      if (System.nanoTime() - deadline > 0) {
        fail("still " + last + " after " + TIMEOUT);
      }
      last = call.get();
    }
    return last;
  }
}
