package io.rivet4j.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rivet4j.api.Key;
import io.rivet4j.api.RivetError;
import io.rivet4j.api.ScheduledFireInfo;
import io.rivet4j.runtime.Registry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** In-process connections and events (semantics §4) and one-shot schedules (§5). */
@ActorTest
class ConnectionsAndSchedulesTest {
  static Registry registry() {
    return Registry.builder().actor(ProbeActor.definition().options(o -> o.withMaxSchedules(3)))
        .build();
  }

  @BeforeEach
  void reset() {
    ProbeActor.LOG.clear();
    ProbeActor.FIRES.clear();
  }

  @Test
  void connectRunsHooksAndTheConnectionCarriesItsState(TestRegistry rivet) {
    try (TestConnection conn = rivet.connect("probe", Key.of("c"), Map.of("name", "ann"))) {
      assertEquals(Map.of("name", "ann"), conn.action("whoAmI", Map.class));
      assertEquals(1, conn.action("connCount", Integer.class));
      assertEquals(List.of("onBeforeConnect", "onConnect"), ProbeActor.LOG.stream()
          .filter(l -> l.startsWith("onBeforeConnect") || l.startsWith("onConnect")).toList());
    }
    Probe p = rivet.client().getOrCreate(Probe.class, Key.of("c"));
    assertEquals(0, p.connCount()); // the close ran as a turn before this call
    assertTrue(ProbeActor.LOG.contains("onDisconnect"));
    assertEquals(null, p.whoAmI()); // no connection on plain calls
  }

  @Test
  void onBeforeConnectCanRejectAConnection(TestRegistry rivet) {
    RivetError e = assertThrows(RivetError.class,
        () -> rivet.connect("probe", Key.of("r"), Map.of("token", "bad")));
    assertEquals("user.forbidden", e.qualifiedCode());
    assertEquals("connection rejected", e.getMessage());
    assertEquals(0, rivet.client().getOrCreate(Probe.class, Key.of("r")).connCount());
  }

  @Test
  void broadcastReachesSubscribersOnlyAndSendReachesOneConnection(TestRegistry rivet) {
    try (TestConnection a = rivet.connect("probe", Key.of("e"), null);
        TestConnection b = rivet.connect("probe", Key.of("e"), null)) {
      a.subscribe("ping");
      a.action("emit", Object.class, "ping", 1);
      b.action("emit", Object.class, "ping", 2);
      b.action("emitToCaller", Object.class, "direct", "only b");
      a.unsubscribe("ping");
      b.action("emit", Object.class, "ping", 3);
      assertEquals(List.of(new TestConnection.Received("ping", List.of(1)),
          new TestConnection.Received("ping", List.of(2))), a.awaitEvents(2));
      assertEquals(List.of(new TestConnection.Received("direct", List.of("only b"))),
          b.awaitEvents(1));
      a.action("get", Long.class); // everything sent before this reply has arrived
      assertEquals(2, a.events().size());
    }
  }

  @Test
  void aConnectionKeepsTheActorAwake(TestRegistry rivet, ManualClock clock) {
    TestConnection conn = rivet.connect("probe", Key.of("held"), null);
    clock.advance(Duration.ofMinutes(5));
    conn.action("get", Long.class);
    assertFalse(ProbeActor.LOG.contains("onSleep"));
    conn.close();
    assertEquals(0, rivet.client().getOrCreate(Probe.class, Key.of("held")).connCount());
    clock.advance(Duration.ofSeconds(31));
    rivet.awaitSleeping("probe", Key.of("held"));
  }

  @Test
  void connectionsSurviveAnExplicitSleep(TestRegistry rivet) {
    try (TestConnection conn = rivet.connect("probe", Key.of("hib"), Map.of("name", "bo"))) {
      conn.subscribe("added");
      conn.action("sleepNow", Object.class);
      rivet.awaitSleeping("probe", Key.of("hib"));
      assertEquals(Map.of("name", "bo"), conn.action("whoAmI", Map.class)); // wakes it
      assertEquals(1, conn.action("add", Long.class, 1));
      assertEquals(List.of(new TestConnection.Received("added", List.of(1L))),
          conn.awaitEvents(1));
      assertEquals(1, ProbeActor.LOG.stream().filter(l -> l.equals("onConnect")).count());
    }
  }

  @Test
  void schedulesCanBeListedAndCancelled(TestRegistry rivet, ManualClock clock) {
    Probe p = rivet.client().getOrCreate(Probe.class, Key.of("list"));
    String late = p.scheduleAdd(20_000, 1);
    String early = p.scheduleAdd(10_000, 2);
    assertEquals(List.of(early, late), p.scheduleIds());
    assertTrue(p.cancelSchedule(late));
    assertFalse(p.cancelSchedule(late));
    assertEquals(List.of(early), p.scheduleIds());
    clock.advance(Duration.ofSeconds(30));
    assertEquals(2, p.get());
    assertEquals(List.of(), p.scheduleIds());
  }

  @Test
  void scheduledActionGetsItsFireInfo(TestRegistry rivet, ManualClock clock) {
    Instant start = clock.instant();
    Probe p = rivet.client().getOrCreate(Probe.class, Key.of("info"));
    String id = p.scheduleAdd(5_000, 3);
    clock.advance(Duration.ofSeconds(7));
    assertEquals(3, p.get());
    ScheduledFireInfo fire = ProbeActor.FIRES.get(0);
    assertEquals("at", fire.kind());
    assertEquals(id, fire.id());
    assertEquals(start.plusSeconds(5), fire.scheduledAt());
    // fired when its turn ran: after it was due, no later than the clock's time now
    assertFalse(fire.firedAt().isBefore(start.plusSeconds(5)));
    assertFalse(fire.firedAt().isAfter(start.plusSeconds(7)));
  }

  @Test
  void maxSchedulesIsEnforced(TestRegistry rivet) {
    Probe p = rivet.client().getOrCreate(Probe.class, Key.of("max"));
    p.scheduleAdd(1_000, 1);
    p.scheduleAdd(1_000, 1);
    p.scheduleAdd(1_000, 1);
    RivetError e = assertThrows(RivetError.class, () -> p.scheduleAdd(1_000, 1));
    assertEquals("schedule.max_schedules_exceeded", e.qualifiedCode());
    assertEquals(3, p.scheduleIds().size());
  }

  @Test
  void aScheduleForAMissingActionIsDroppedAndTheActorKeepsServing(TestRegistry rivet,
      ManualClock clock) {
    Probe p = rivet.client().getOrCreate(Probe.class, Key.of("missing"));
    p.scheduleMissing(1_000);
    clock.advance(Duration.ofSeconds(2));
    rivet.awaitEvents(e -> e.kind().equals("scheduleFired"), 1);
    assertEquals(List.of(), p.scheduleIds());
    assertEquals(1, p.add(1));
  }
}
