package io.rivet4j.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.rivet4j.api.Key;
import io.rivet4j.api.RivetError;
import io.rivet4j.runtime.Registry;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Hook order, sleep, wake, destroy and shutdown (RivetKit semantics §2). */
@ActorTest
class LifecycleTest {
  static Registry registry() {
    return Registry.builder().actor(ProbeActor.definition()).build();
  }

  @BeforeEach
  void clearLog() {
    ProbeActor.LOG.clear();
  }

  private static Probe probe(TestRegistry rivet, String key, Object input) {
    return rivet.client().getOrCreate(Probe.class, Key.of(key), input);
  }

  @Test
  void createRunsCreateStateOnCreateThenWakeAndWakeSkipsCreation(TestRegistry rivet) {
    Probe p = probe(rivet, "order", 5L);
    assertEquals(5, p.get());
    assertEquals(List.of("createState 5", "onCreate", "construct", "onWake 5"), ProbeActor.LOG);
    ProbeActor.LOG.clear();
    assertEquals(6, p.add(1));
    assertEquals(List.of("onStateChange 6"), ProbeActor.LOG);
    ProbeActor.LOG.clear();
    rivet.sleep("probe", Key.of("order"));
    assertEquals(List.of("onSleep"), ProbeActor.LOG);
    ProbeActor.LOG.clear();
    assertEquals(6, p.get()); // input is not used again
    assertEquals(List.of("construct", "onWake 6"), ProbeActor.LOG);
  }

  @Test
  void readsDoNotTriggerOnStateChange(TestRegistry rivet) {
    Probe p = probe(rivet, "reads", null);
    p.get();
    p.get();
    assertFalse(ProbeActor.LOG.stream().anyMatch(l -> l.startsWith("onStateChange")));
  }

  @Test
  void onBeforeActionResponseTransformsOutput(TestRegistry rivet) {
    Probe p = probe(rivet, "transform", 1000L);
    assertEquals(999, p.get());
    assertEquals(1001, p.add(1));
  }

  @Test
  void sleepFromAnActionStopsTheActorAfterTheTurn(TestRegistry rivet) {
    Probe p = probe(rivet, "nap", null);
    p.add(2);
    p.sleepNow();
    rivet.awaitSleeping("probe", Key.of("nap"));
    assertEquals(2, p.get());
    assertEquals(2, ProbeActor.LOG.stream().filter(l -> l.startsWith("onWake")).count());
  }

  @Test
  void idleTimerSleepsOnlyAfterTheTimeout(TestRegistry rivet, ManualClock clock) {
    Probe p = probe(rivet, "idle", null);
    clock.advance(Duration.ofSeconds(29));
    p.get(); // runs after any sleep check the advance queued: still awake
    assertFalse(ProbeActor.LOG.contains("onSleep"));
    clock.advance(Duration.ofSeconds(30));
    rivet.awaitSleeping("probe", Key.of("idle"));
    assertEquals(List.of("onSleep"), ProbeActor.LOG.stream()
        .filter(l -> l.equals("onSleep")).toList());
  }

  @Test
  void keepAwakeBlocksSleepUntilItsWorkCompletes(TestRegistry rivet, ManualClock clock) {
    Probe p = probe(rivet, "awake", null);
    p.keepAwakeUntil("awake-gate");
    clock.advance(Duration.ofSeconds(60));
    p.get();
    assertFalse(ProbeActor.LOG.contains("onSleep"));
    ProbeActor.gate("awake-gate").complete("done");
    p.get(); // the keep-awake release runs as a turn before this call
    clock.advance(Duration.ofSeconds(31));
    rivet.awaitSleeping("probe", Key.of("awake"));
  }

  @Test
  void destroyRunsOnDestroyAndDeletesEverything(TestRegistry rivet) {
    Probe p = probe(rivet, "destroy", 3L);
    assertEquals(3, p.get());
    String id = rivet.client().get("probe", Key.of("destroy")).resolve();
    p.scheduleAdd(60_000, 1);
    p.destroyNow();
    rivet.awaitDestroyed("probe", Key.of("destroy"));
    assertEquals("onDestroy", ProbeActor.LOG.get(ProbeActor.LOG.size() - 1));
    RivetError e = assertThrows(RivetError.class,
        () -> rivet.client().getForId(Probe.class, id).get());
    assertEquals("actor.not_found", e.qualifiedCode());
    assertEquals(7, probe(rivet, "destroy", 7L).get()); // createState runs again
    assertEquals(List.of(), probe(rivet, "destroy", null).scheduleIds());
  }

  @Test
  void destroyTwiceInOneActorIsAnError(TestRegistry rivet) {
    Registry r = Registry.builder().actor(io.rivet4j.api.Actor.<Long>builder("twice")
        .initialState(0L)
        .action("destroyTwice", (c, args) -> {
          c.destroy();
          c.destroy();
          return null;
        })).build();
    try (TestRegistry other = TestRegistry.start(r)) {
      RivetError e = assertThrows(RivetError.class,
          () -> other.client().getOrCreate("twice", Key.of("x")).action("destroyTwice",
              Void.class));
      assertEquals("actor", e.group());
      assertEquals("stopping", e.code()); // not public: message masked
      assertEquals("An internal error occurred", e.getMessage());
      other.awaitDestroyed("twice", Key.of("x"));
    }
  }

  @Test
  void shutdownSleepsEveryActorAndKeepsState(TestRegistry rivet) {
    probe(rivet, "s1", null).add(1);
    probe(rivet, "s2", null).add(2);
    rivet.restart();
    assertEquals(2, ProbeActor.LOG.stream().filter(l -> l.equals("onSleep")).count());
    assertEquals(1, probe(rivet, "s1", null).get());
    assertEquals(2, probe(rivet, "s2", null).get());
  }

  @Test
  void errorsUserPassThroughInternalMasked(TestRegistry rivet) {
    Probe p = probe(rivet, "errors", null);
    RivetError user = assertThrows(RivetError.class, () -> p.fail("my_code", "bad thing"));
    assertEquals("user.my_code", user.qualifiedCode());
    assertEquals("bad thing", user.getMessage());
    assertEquals(java.util.Map.of("code", "my_code"), user.metadata().orElseThrow());
    RivetError internal = assertThrows(RivetError.class, p::crash);
    assertEquals("rivetkit.internal_error", internal.qualifiedCode());
    assertEquals("An internal error occurred", internal.getMessage());
    RivetError missing = assertThrows(RivetError.class,
        () -> rivet.client().getOrCreate("probe", Key.of("errors")).action("nope", Object.class));
    assertEquals("actor.action_not_found", missing.qualifiedCode());
    RivetError badArg = assertThrows(RivetError.class,
        () -> rivet.client().getOrCreate("probe", Key.of("errors")).action("add", Long.class,
            "not a number"));
    assertEquals("actor.validation_error", badArg.qualifiedCode());
    assertEquals(1, p.add(1));
  }
}
