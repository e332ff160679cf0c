package io.rivet4j.client.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.Test;

class SerialExecutorTest {
  /** A delegate that keeps the drains handed to it until the test runs them. */
  private static final class HeldExecutor implements Executor {
    final List<Runnable> held = new ArrayList<>();

    @Override
    public synchronized void execute(Runnable task) {
      held.add(task);
    }

    synchronized void runAll() {
      List<Runnable> now = List.copyOf(held);
      held.clear();
      now.forEach(Runnable::run);
    }
  }

  @Test
  void tasksRunInOrderOnTheDelegate() {
    HeldExecutor delegate = new HeldExecutor();
    SerialExecutor lane = new SerialExecutor(delegate);
    List<String> ran = new ArrayList<>();
    lane.execute(() -> ran.add("a"));
    lane.execute(() -> ran.add("b"));
    assertEquals(1, delegate.held.size(), "one drain for both tasks");
    assertEquals(List.of(), ran);
    delegate.runAll();
    assertEquals(List.of("a", "b"), ran);
  }

  @Test
  void anIdleLaneIsDrainedByTheInlineThreadAtEndInline() {
    HeldExecutor delegate = new HeldExecutor();
    SerialExecutor lane = new SerialExecutor(delegate);
    List<String> ran = new CopyOnWriteArrayList<>();
    Thread me = Thread.currentThread();
    lane.beginInline();
    lane.execute(() -> ran.add("reply on " + (Thread.currentThread() == me ? "me" : "other")));
    assertEquals(List.of(), ran, "not before endInline (the caller may hold a lock)");
    lane.execute(() -> assertTrue(lane.inLane()));
    lane.execute(() -> ran.add("second"));
    lane.endInline();
    assertEquals(List.of("reply on me", "second"), ran);
    assertEquals(0, delegate.held.size(), "nothing handed to the delegate");
    assertFalse(lane.inLane());
    // after endInline the delegate is used again
    lane.execute(() -> ran.add("later"));
    assertEquals(1, delegate.held.size());
    delegate.runAll();
    assertEquals(List.of("reply on me", "second", "later"), ran);
  }

  @Test
  void aBusyLaneKeepsItsOrderWhenAnInlineThreadSubmits() {
    HeldExecutor delegate = new HeldExecutor();
    SerialExecutor lane = new SerialExecutor(delegate);
    List<String> ran = new ArrayList<>();
    lane.execute(() -> ran.add("first (delegate)"));
    lane.beginInline();
    lane.execute(() -> ran.add("second"));
    lane.endInline();
    assertEquals(List.of(), ran, "the drain handed to the delegate owns the lane");
    delegate.runAll();
    assertEquals(List.of("first (delegate)", "second"), ran);
  }

  @Test
  void tasksFromOtherThreadsWaitForTheOwedInlineDrain() throws Exception {
    HeldExecutor delegate = new HeldExecutor();
    SerialExecutor lane = new SerialExecutor(delegate);
    List<String> ran = new CopyOnWriteArrayList<>();
    lane.beginInline();
    lane.execute(() -> ran.add("mine"));
    Thread other = Thread.ofPlatform().start(() -> lane.execute(() -> ran.add("theirs")));
    other.join();
    assertEquals(0, delegate.held.size());
    assertEquals(List.of(), ran);
    lane.endInline();
    assertEquals(List.of("mine", "theirs"), ran);
  }
}
