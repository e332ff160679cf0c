package io.rivet4j.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rivet4j.api.ActorHandle;
import io.rivet4j.api.Key;
import io.rivet4j.api.RivetError;
import io.rivet4j.runtime.Durability;
import io.rivet4j.runtime.Registry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Turns, interleaving at CompletionStage boundaries, timeouts, durable and pipelined replies. */
class ConcurrencyAndDurabilityTest {
  private static Registry registry() {
    return Registry.builder().actor(ProbeActor.definition()).build();
  }

  @BeforeEach
  void reset() {
    ProbeActor.LOG.clear();
    ProbeActor.GATES.clear();
  }

  private static CompletableFuture<Long> async(ActorHandle h, String action, Object... args) {
    return h.actionAsync(action, Long.class, args).toCompletableFuture();
  }

  private static Throwable failure(CompletableFuture<?> f) {
    java.util.concurrent.ExecutionException e = assertThrows(
        java.util.concurrent.ExecutionException.class,
        () -> f.get(TestRegistry.EVENT_TIMEOUT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS));
    return e.getCause();
  }

  @Test
  void otherMessagesRunWhileAnAsyncActionWaits() {
    try (TestRegistry rivet = TestRegistry.start(registry())) {
      Probe p = rivet.client().getOrCreate(Probe.class, Key.of("interleave"));
      CompletableFuture<Long> waiting = p.getAfter("g").toCompletableFuture();
      assertEquals(1, p.add(1)); // not blocked behind the waiting action
      assertEquals(3, p.add(2));
      assertFalse(waiting.isDone());
      ProbeActor.gate("g").complete("open");
      assertEquals(3, waiting.join()); // continued in a turn of the actor
      CompletableFuture<Long> addLater = p.addAfter("g2", 10).toCompletableFuture();
      ProbeActor.gate("g2").complete("open");
      assertEquals(13, addLater.join());
      assertEquals(13, p.get());
    }
  }

  @Test
  void messagesStartInFifoOrder() {
    try (TestRegistry rivet = TestRegistry.start(registry())) {
      ActorHandle h = rivet.client().getOrCreate("probe", Key.of("fifo"));
      h.resolve();
      List<CompletableFuture<Long>> replies = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        replies.add(async(h, "add", 1));
      }
      for (int i = 0; i < 200; i++) {
        assertEquals(i + 1, replies.get(i).join());
      }
    }
  }

  @Test
  void noMessageIsLeftInAMailboxUnderConcurrentSenders() throws Exception {
    // Many senders racing with the end of each drain: every call must be answered.
    TestRegistry.Options relaxed = TestRegistry.Options.defaults()
        .withDurability(Durability.RELAXED);
    try (TestRegistry rivet = TestRegistry.start(registry(), relaxed)) {
      List<ActorHandle> handles = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        ActorHandle h = rivet.client().getOrCreate("probe", Key.of("race-" + i));
        h.resolve();
        handles.add(h);
      }
      List<CompletableFuture<Void>> senders = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        int seed = t;
        senders.add(CompletableFuture.runAsync(() -> {
          java.util.Random random = new java.util.Random(seed);
          for (int i = 0; i < 2_000; i++) {
            ActorHandle h = handles.get(random.nextInt(handles.size()));
            TestConnection.await(async(h, "get"));
          }
        }, java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()));
      }
      for (CompletableFuture<Void> s : senders) {
        TestConnection.await(s);
      }
    }
  }

  @Test
  void asyncActionTimesOutAfterActionTimeout() {
    try (TestRegistry rivet = TestRegistry.start(registry())) {
      Probe p = rivet.client().getOrCreate(Probe.class, Key.of("slow"));
      CompletableFuture<Long> never = p.getAfter("never").toCompletableFuture();
      assertEquals(0, p.get()); // the async action has started: its timer runs from now
      rivet.clock().advance(Duration.ofSeconds(59));
      assertEquals(0, p.get());
      assertFalse(never.isDone());
      rivet.clock().advance(Duration.ofSeconds(1));
      RivetError e = (RivetError) failure(never);
      assertEquals("actor.action_timed_out", e.qualifiedCode());
      assertEquals(1, p.add(1)); // the actor keeps serving
    }
  }

  @Test
  void blockedTurnTimesOutAndBlockingDoesNotStallOtherActors() {
    try (TestRegistry rivet = TestRegistry.start(registry())) {
      ActorHandle blocked = rivet.client().getOrCreate("probe", Key.of("blocked"));
      blocked.resolve();
      CompletableFuture<String> reply =
          blocked.actionAsync("block", String.class, "wall").toCompletableFuture();
      Probe other = rivet.client().getOrCreate(Probe.class, Key.of("other"));
      TestConnection.await(ProbeActor.gate("wall-started"));
      assertEquals(5, other.add(5)); // runs while "blocked" holds its turn
      rivet.clock().advance(Duration.ofSeconds(61));
      RivetError e = (RivetError) failure(reply);
      assertEquals("actor.action_timed_out", e.qualifiedCode());
      ProbeActor.gate("wall").complete("open");
      assertEquals(0, blocked.action("get", Long.class));
    }
  }

  @Test
  void durableReplyWaitsForTheCommitAndReadsWaitForEarlierCommits() {
    FaultInjectingStore[] store = new FaultInjectingStore[1];
    TestRegistry.Options options = TestRegistry.Options.defaults()
        .withStore(s -> store[0] = new FaultInjectingStore(s));
    try (TestRegistry rivet = TestRegistry.start(registry(), options)) {
      ActorHandle h = rivet.client().getOrCreate("probe", Key.of("durable"));
      h.resolve();
      store[0].hold();
      CompletableFuture<Long> write = async(h, "add", 1);
      CompletableFuture<Long> read = async(h, "get");
      CompletableFuture<Long> write2 = async(h, "add", 1);
      rivet.runtime(); // nothing to do: replies wait for the disk, not the actor
      TestConnection.await(CompletableFuture.runAsync(() -> {
        while (store[0].heldCount() < 2) {
          Thread.onSpinWait();
        }
      }));
      assertEquals(2, store[0].heldCount()); // both writes ran: pipelined
      assertFalse(write.isDone());
      assertFalse(read.isDone()); // a read never reveals an uncommitted change
      assertFalse(write2.isDone());
      store[0].release().join();
      assertEquals(1, write.join());
      assertEquals(1, read.join());
      assertFalse(write2.isDone());
      store[0].releaseAll();
      assertEquals(2, write2.join());
    }
  }

  @Test
  void relaxedRepliesDoNotWaitForTheDisk() {
    FaultInjectingStore[] store = new FaultInjectingStore[1];
    TestRegistry.Options options = TestRegistry.Options.defaults()
        .withDurability(Durability.RELAXED)
        .withStore(s -> store[0] = new FaultInjectingStore(s));
    try (TestRegistry rivet = TestRegistry.start(registry(), options)) {
      ActorHandle h = rivet.client().getOrCreate("probe", Key.of("relaxed"));
      h.resolve();
      store[0].hold();
      assertEquals(1, async(h, "add", 1).join()); // acknowledged before any commit
      assertEquals(2, async(h, "add", 1).join());
      assertEquals(0, store[0].heldCount());
      rivet.clock().advance(Duration.ofMillis(10)); // the flush window: one batch for both
      TestConnection.await(CompletableFuture.runAsync(() -> {
        while (store[0].heldCount() < 1) {
          Thread.onSpinWait();
        }
      }));
      store[0].releaseAll();
      assertEquals(2, h.action("get", Long.class));
      rivet.restart();
      assertEquals(2, rivet.client().getOrCreate("probe", Key.of("relaxed"))
          .action("get", Long.class));
    }
  }

  @Test
  void oneRelaxedFlushWindowSavesEveryDirtyActor() {
    // The flush tick runs the flushes of idle actors one after another on one thread; each
    // actor still commits its own batch, and a later change waits for the next window.
    FaultInjectingStore[] store = new FaultInjectingStore[1];
    TestRegistry.Options options = TestRegistry.Options.defaults()
        .withDurability(Durability.RELAXED)
        .withStore(s -> store[0] = new FaultInjectingStore(s));
    int actors = 40;
    try (TestRegistry rivet = TestRegistry.start(registry(), options)) {
      List<ActorHandle> handles = new ArrayList<>();
      for (int i = 0; i < actors; i++) {
        ActorHandle h = rivet.client().getOrCreate("probe", Key.of("window-" + i));
        h.resolve();
        handles.add(h);
      }
      store[0].hold();
      for (int i = 0; i < actors; i++) {
        assertEquals(i + 1, async(handles.get(i), "add", i + 1).join());
      }
      assertEquals(0, store[0].heldCount());
      rivet.clock().advance(Duration.ofMillis(10));
      awaitHeld(store[0], actors);
      assertEquals(1 + 1, async(handles.get(0), "add", 1).join()); // after the tick: next window
      store[0].releaseAll();
      rivet.clock().advance(Duration.ofMillis(10));
      for (int i = 0; i < actors; i++) {
        assertEquals(i == 0 ? 2 : i + 1, handles.get(i).action("get", Long.class));
      }
      rivet.restart();
      for (int i = 0; i < actors; i++) {
        assertEquals(i == 0 ? 2 : i + 1, rivet.client().getOrCreate("probe",
            Key.of("window-" + i)).action("get", Long.class), "actor " + i);
      }
    }
  }

  private static void awaitHeld(FaultInjectingStore store, int count) {
    TestConnection.await(CompletableFuture.runAsync(() -> {
      while (store.heldCount() < count) {
        Thread.onSpinWait();
      }
    }));
  }

  @Test
  void failedCommitFailsTheReplyAndTheSaveIsRetried() {
    FaultInjectingStore[] store = new FaultInjectingStore[1];
    TestRegistry.Options options = TestRegistry.Options.defaults()
        .withStore(s -> store[0] = new FaultInjectingStore(s));
    try (TestRegistry rivet = TestRegistry.start(registry(), options)) {
      Probe p = rivet.client().getOrCreate(Probe.class, Key.of("faulty"));
      assertEquals(0, p.get());
      store[0].failNext(1);
      RivetError e = assertThrows(RivetError.class, () -> p.add(5));
      assertEquals("rivetkit.internal_error", e.qualifiedCode());
      assertEquals(5, p.get()); // waits for the retried save
      rivet.restart();
      assertEquals(5, rivet.client().getOrCreate(Probe.class, Key.of("faulty")).get());
    }
  }

  @Test
  void eventsOfATurnAreReleasedWithItsReplyAfterTheCommit() {
    FaultInjectingStore[] store = new FaultInjectingStore[1];
    TestRegistry.Options options = TestRegistry.Options.defaults()
        .withStore(s -> store[0] = new FaultInjectingStore(s));
    try (TestRegistry rivet = TestRegistry.start(registry(), options)) {
      TestConnection conn = rivet.connect("probe", Key.of("events"), null);
      conn.subscribe("added");
      ActorHandle h = rivet.client().getOrCreate("probe", Key.of("events"));
      assertEquals(0, h.action("get", Long.class)); // the subscription is in place
      store[0].hold();
      CompletableFuture<Long> write = async(h, "add", 4);
      TestConnection.await(CompletableFuture.runAsync(() -> {
        while (store[0].heldCount() < 1) {
          Thread.onSpinWait();
        }
      }));
      assertEquals(List.of(), conn.events());
      store[0].releaseAll();
      assertEquals(4, write.join());
      assertEquals(List.of(new TestConnection.Received("added", List.of(4L))),
          conn.awaitEvents(1));
    }
  }

  @Test
  void eventsKeepTurnOrderWhenLaterTurnsWriteNothing() {
    FaultInjectingStore[] store = new FaultInjectingStore[1];
    TestRegistry.Options options = TestRegistry.Options.defaults()
        .withStore(s -> store[0] = new FaultInjectingStore(s));
    try (TestRegistry rivet = TestRegistry.start(registry(), options)) {
      TestConnection conn = rivet.connect("probe", Key.of("order"), null);
      conn.subscribe("added");
      conn.subscribe("ping");
      ActorHandle h = rivet.client().getOrCreate("probe", Key.of("order"));
      assertEquals(0, h.action("get", Long.class));
      store[0].hold();
      List<CompletableFuture<?>> replies = new ArrayList<>();
      replies.add(async(h, "add", 1));
      for (int i = 0; i < 5; i++) {
        replies.add(h.actionAsync("emit", Object.class, "ping", i).toCompletableFuture());
      }
      replies.add(async(h, "add", 1));
      replies.add(h.actionAsync("emit", Object.class, "ping", 5).toCompletableFuture());
      TestConnection.await(CompletableFuture.runAsync(() -> {
        while (store[0].heldCount() < 2) {
          Thread.onSpinWait();
        }
      }));
      store[0].releaseAll();
      replies.forEach(CompletableFuture::join);
      List<TestConnection.Received> expected = new ArrayList<>();
      expected.add(new TestConnection.Received("added", List.of(1L)));
      for (int i = 0; i < 5; i++) {
        expected.add(new TestConnection.Received("ping", List.of(i)));
      }
      expected.add(new TestConnection.Received("added", List.of(2L)));
      expected.add(new TestConnection.Received("ping", List.of(5)));
      assertEquals(expected, conn.awaitEvents(8));
    }
  }

  @Test
  void concurrentGetOrCreateOfANewKeyCreatesOneActor() throws Exception {
    try (TestRegistry rivet = TestRegistry.start(registry())) {
      List<CompletableFuture<String>> ids = new ArrayList<>();
      for (int i = 0; i < 16; i++) {
        ids.add(CompletableFuture.supplyAsync(
            () -> rivet.client().getOrCreate("probe", Key.of("race"), 9L).resolve()));
      }
      String first = ids.get(0).get();
      for (CompletableFuture<String> id : ids) {
        assertEquals(first, id.get());
      }
      assertEquals(1, ProbeActor.LOG.stream().filter(l -> l.startsWith("createState")).count());
      assertTrue(ProbeActor.LOG.contains("createState 9"));
    }
  }
}
