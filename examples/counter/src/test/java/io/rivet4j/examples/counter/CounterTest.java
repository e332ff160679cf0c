package io.rivet4j.examples.counter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rivet4j.api.Key;
import io.rivet4j.api.RivetError;
import io.rivet4j.runtime.Registry;
import io.rivet4j.testkit.ActorTest;
import io.rivet4j.testkit.ManualClock;
import io.rivet4j.testkit.TestRegistry;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The counter through the public API, with time moved by hand. */
@ActorTest
class CounterTest {
  static Registry registry() {
    return Registry.builder().actor(CounterActor.definition()).build();
  }

  @Test
  void getOrCreateCreatesOnceAndKeysAreUniquePerName(TestRegistry rivet) {
    Counter a = rivet.client().getOrCreate(Counter.class, Key.of("a"));
    assertEquals(5, a.increment(5));
    Counter sameKey = rivet.client().getOrCreate(Counter.class, Key.of("a"));
    assertEquals(7, sameKey.increment(2));
    Counter compound = rivet.client().getOrCreate(Counter.class, Key.of("a", "b"));
    assertEquals(0, compound.getCount());
    String idA = rivet.client().getOrCreate("counter", Key.of("a")).resolve();
    String idAb = rivet.client().getOrCreate("counter", Key.of("a", "b")).resolve();
    assertNotEquals(idA, idAb);
    assertEquals(30, idA.length());
  }

  @Test
  void getFailsForMissingKeyAndFindsExistingOne(TestRegistry rivet) {
    Counter missing = rivet.client().get(Counter.class, Key.of("nope"));
    RivetError e = assertThrows(RivetError.class, missing::getCount);
    assertEquals("actor", e.group());
    assertEquals("not_found", e.code());
    rivet.client().getOrCreate(Counter.class, Key.of("yes")).increment(3);
    assertEquals(3, rivet.client().get(Counter.class, Key.of("yes")).getCount());
  }

  @Test
  void createFailsWhenKeyExistsAndGetForIdReachesTheSameActor(TestRegistry rivet) {
    Counter created = rivet.client().create(Counter.class, Key.of("c"));
    created.increment(4);
    RivetError dup = assertThrows(RivetError.class,
        () -> rivet.client().create(Counter.class, Key.of("c")));
    assertEquals("actor.duplicate_key", dup.qualifiedCode());
    String id = rivet.client().get("counter", Key.of("c")).resolve();
    assertEquals(Map.of("existing_actor_id", id, "key", "c"), dup.metadata().orElseThrow());
    assertEquals(4, rivet.client().getForId(Counter.class, id).getCount());
    RivetError unknown = assertThrows(RivetError.class,
        () -> rivet.client().getForId(Counter.class, "0000000000000000000000000000aa").getCount());
    assertEquals("actor.not_found", unknown.qualifiedCode());
  }

  @Test
  void stateSurvivesSleepAndVarsDoNot(TestRegistry rivet, ManualClock clock) {
    Counter counter = rivet.client().getOrCreate(Counter.class, Key.of("sleepy"));
    counter.increment(3);
    assertEquals(2, counter.callsSinceWake()); // increment + this call
    clock.advance(Duration.ofSeconds(31)); // past sleepTimeout: the actor sleeps
    rivet.awaitSleeping(Counter.class, Key.of("sleepy"));
    assertEquals(1, counter.callsSinceWake()); // woken by the call: vars rebuilt
    assertEquals(3, counter.getCount());
  }

  @Test
  void actorStaysAwakeWhileCalledWithinTheSleepTimeout(TestRegistry rivet, ManualClock clock) {
    Counter counter = rivet.client().getOrCreate(Counter.class, Key.of("busy"));
    counter.increment(1);
    clock.advance(Duration.ofSeconds(20));
    counter.increment(1); // activity resets the idle timer
    clock.advance(Duration.ofSeconds(20));
    assertEquals(3, counter.callsSinceWake()); // still the same generation
    clock.advance(Duration.ofSeconds(31));
    rivet.awaitSleeping(Counter.class, Key.of("busy"));
    assertEquals(2, counter.getCount());
  }

  @Test
  void stateSurvivesRestart(TestRegistry rivet) {
    rivet.client().getOrCreate(Counter.class, Key.of("durable")).increment(41);
    rivet.restart();
    Counter again = rivet.client().getOrCreate(Counter.class, Key.of("durable"));
    assertEquals(42, again.increment(1));
  }

  @Test
  void scheduleFiresUnderTheManualClock(TestRegistry rivet, ManualClock clock) {
    Counter counter = rivet.client().getOrCreate(Counter.class, Key.of("later"));
    counter.incrementLater(10_000, 5);
    clock.advance(Duration.ofSeconds(9));
    assertEquals(0, counter.getCount());
    clock.advance(Duration.ofSeconds(1));
    assertEquals(5, counter.getCount());
    clock.advance(Duration.ofHours(1)); // at most once
    assertEquals(5, counter.getCount());
  }

  @Test
  void scheduleWakesASleepingActor(TestRegistry rivet, ManualClock clock) {
    Counter counter = rivet.client().getOrCreate(Counter.class, Key.of("alarm"));
    counter.incrementLater(120_000, 7);
    clock.advance(Duration.ofSeconds(31));
    rivet.awaitSleeping(Counter.class, Key.of("alarm"));
    clock.advance(Duration.ofSeconds(90)); // the alarm wakes it
    rivet.awaitEvents(e -> e.kind().equals("scheduleFired"), 1);
    assertEquals(7, counter.getCount());
  }

  @Test
  void scheduleSurvivesRestartAndOverdueOneFiresOnStart(TestRegistry rivet, ManualClock clock) {
    Counter counter = rivet.client().getOrCreate(Counter.class, Key.of("restart"));
    counter.incrementLater(60_000, 2);
    counter.incrementLater(600_000, 3);
    rivet.restart();
    clock.advance(Duration.ofMinutes(2)); // first one due while the node is up again
    rivet.awaitEvents(e -> e.kind().equals("scheduleFired"), 1);
    assertEquals(2, rivet.client().getOrCreate(Counter.class, Key.of("restart")).getCount());
    rivet.restart();
    clock.advance(Duration.ofMinutes(20)); // the second fires once, after the next restart
    rivet.awaitEvents(e -> e.kind().equals("scheduleFired"), 2);
    assertEquals(5, rivet.client().getOrCreate(Counter.class, Key.of("restart")).getCount());
  }

  @Test
  void destroyDeletesDataAndFreesTheKey(TestRegistry rivet) {
    Counter counter = rivet.client().getOrCreate(Counter.class, Key.of("doomed"));
    counter.increment(9);
    String oldId = rivet.client().get("counter", Key.of("doomed")).resolve();
    counter.destroy();
    rivet.awaitDestroyed(Counter.class, Key.of("doomed"));
    RivetError gone = assertThrows(RivetError.class,
        () -> rivet.client().getForId(Counter.class, oldId).getCount());
    assertEquals("actor.not_found", gone.qualifiedCode());
    RivetError byKey = assertThrows(RivetError.class,
        () -> rivet.client().get(Counter.class, Key.of("doomed")).getCount());
    assertEquals("actor.not_found", byKey.qualifiedCode());
    Counter fresh = rivet.client().getOrCreate(Counter.class, Key.of("doomed"));
    assertEquals(0, fresh.getCount());
    assertNotEquals(oldId, rivet.client().get("counter", Key.of("doomed")).resolve());
  }

  @Test
  void userErrorsReachCallersAndInternalErrorsAreMasked(TestRegistry rivet) {
    Counter counter = rivet.client().getOrCreate(Counter.class, Key.of("errors"));
    RivetError user = assertThrows(RivetError.class, () -> counter.increment(-1));
    assertEquals("user", user.group());
    assertEquals("invalid_amount", user.code());
    assertEquals("amount must be 0 or more, got -1", user.getMessage());
    assertEquals(Map.of("amount", -1L), user.metadata().orElseThrow());
    RivetError internal = assertThrows(RivetError.class, () -> counter.average(0));
    assertEquals("rivetkit", internal.group());
    assertEquals("internal_error", internal.code());
    assertEquals("An internal error occurred", internal.getMessage());
    assertTrue(internal.metadata().isEmpty());
    assertEquals(0, counter.increment(0)); // the actor keeps serving
  }
}
