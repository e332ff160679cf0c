package io.rivet4j.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rivet4j.api.Actor;
import io.rivet4j.api.ActorHandle;
import io.rivet4j.api.Key;
import io.rivet4j.runtime.Durability;
import io.rivet4j.runtime.Registry;
import io.rivet4j.runtime.internal.Node;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Short, non-blocking actions run on the delivering thread once they have shown they are
 * (InlineProfile): the test thread plays the server's event loop.
 */
class InlineTurnsTest {
  private static final int PROMOTE = 32; // InlineProfile.RUNS_TO_PROMOTE

  private static Registry registry() {
    return Registry.builder()
        .actor(Actor.<Long>builder("probe").initialState(0L)
            .action("where", (c, a) -> Thread.currentThread().isVirtual() ? "virtual"
                : Thread.currentThread().getName())
            .action("spin", (c, a) -> {
              long until = System.nanoTime() + a.get(0, Long.class) * 1000;
              while (System.nanoTime() < until) {
                Thread.onSpinWait();
              }
              return Thread.currentThread().isVirtual() ? "virtual" : "inline";
            })
            .action("sql", (c, a) -> {
              c.db().execute("SELECT 1");
              return Thread.currentThread().isVirtual() ? "virtual" : "inline";
            }))
        .build();
  }

  private TestRegistry rivet;

  @BeforeEach
  void start() {
    rivet = TestRegistry.start(registry(), TestRegistry.Options.defaults()
        .withDurability(Durability.RELAXED));
    Node.allowInlineTurns();
  }

  @AfterEach
  void stop() {
    Node.disallowInlineTurns();
    rivet.close();
  }

  /** Calls until a run comes back {@code inline} (at most {@code max} calls); the count. */
  private static int callsUntilInline(ActorHandle h, String action, String inline, int max,
      Object... args) {
    for (int i = 1; i <= max; i++) {
      if (inline.equals(h.action(action, String.class, args))) {
        return i;
      }
    }
    return -1;
  }

  @Test
  void aShortActionRunsInlineAfterItsTrialRuns() {
    ActorHandle h = rivet.client().getOrCreate("probe", Key.of("a"));
    String me = Thread.currentThread().getName();
    for (int i = 0; i < PROMOTE; i++) {
      assertEquals("virtual", h.action("where", String.class), "trial run " + i);
    }
    // a slow machine may reset the trial now and then; it ends all the same
    int n = callsUntilInline(h, "where", me, 2_000);
    assertTrue(n > 0, "never ran inline");
    assertEquals(me, h.action("where", String.class));
  }

  @Test
  void anActionUsingTheDatabaseNeverRunsInline() {
    ActorHandle h = rivet.client().getOrCreate("probe", Key.of("b"));
    for (int i = 0; i < 3 * PROMOTE; i++) {
      assertEquals("virtual", h.action("sql", String.class));
    }
  }

  @Test
  void aSlowActionNeverRunsInlineAndThreeSlowInlineRunsInARowEndIt() {
    ActorHandle h = rivet.client().getOrCreate("probe", Key.of("c"));
    for (int i = 0; i < 2 * PROMOTE; i++) {
      assertEquals("virtual", h.action("spin", String.class, 300L), "300 µs run " + i);
    }
    assertTrue(callsUntilInline(h, "spin", "inline", 2_000, 0L) > 0, "never ran inline");
    assertEquals("inline", h.action("spin", String.class, 2_000L)); // slow, but already inline
    // slow runs now and then are forgiven (a GC pause or preemption can make any run slow)
    assertEquals("inline", h.action("spin", String.class, 0L));
    assertEquals("inline", h.action("spin", String.class, 2_000L));
    assertEquals("inline", h.action("spin", String.class, 2_000L)); // the third: demoted
    for (int i = 0; i < 3 * PROMOTE; i++) {
      assertEquals("virtual", h.action("spin", String.class, 0L), "after demotion " + i);
    }
  }

  @Test
  void inlineRunsKeepFifoOrderWithQueuedWork() throws Exception {
    ActorHandle h = rivet.client().getOrCreate("probe", Key.of("d"));
    String me = Thread.currentThread().getName();
    assertTrue(callsUntilInline(h, "where", me, 2_000) > 0, "never ran inline");
    // work queued on the actor goes first: the next call joins the queue, on a virtual thread
    var slow = h.actionAsync("spin", String.class, 50_000L).toCompletableFuture();
    String next = h.action("where", String.class);
    assertEquals("virtual", slow.join());
    assertEquals("virtual", next);
  }
}
