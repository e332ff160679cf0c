package io.rivet4j.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rivet4j.api.Actor;
import io.rivet4j.api.ActorHandle;
import io.rivet4j.api.Args;
import io.rivet4j.api.Key;
import io.rivet4j.api.QueueMessage;
import io.rivet4j.api.QueueSendResult;
import io.rivet4j.api.RivetError;
import io.rivet4j.api.SendOptions;
import io.rivet4j.api.UserError;
import io.rivet4j.runtime.Registry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Durable queues: {@code c.queue()}, consumer handlers and client sends (semantics §7.2). */
class QueueTest {
  /** The body of the {@code work} queue. */
  record Job(String task, long n) {}

  /** Tasks the {@code work} handler started, in order. */
  static final List<String> HANDLED = new CopyOnWriteArrayList<>();
  /** Completable messages an actor holds, by the first key part. */
  static final Map<String, QueueMessage> HELD = new ConcurrentHashMap<>();
  /** Results of {@code startWaiting}, by tag. */
  static final Map<String, CompletableFuture<String>> WAITS = new ConcurrentHashMap<>();
  /** The {@code block} task of the handler waits for this. */
  static volatile CompletableFuture<Void> gate = CompletableFuture.completedFuture(null);

  @BeforeEach
  void reset() {
    HANDLED.clear();
    HELD.clear();
    WAITS.clear();
    gate = CompletableFuture.completedFuture(null);
  }

  static String describe(QueueMessage m) {
    return m.id() + " " + m.name() + " " + m.body().raw().orElse(null);
  }

  private static String[] names(Args a, int from) {
    String[] out = new String[Math.max(0, a.size() - from)];
    for (int i = 0; i < out.length; i++) {
      out[i] = a.get(from + i, String.class);
    }
    return out;
  }

  private static String key(io.rivet4j.api.ActorContext<?> c) {
    return c.key().parts().get(0);
  }

  static Actor<Long> actor(String name) {
    return Actor.<Long>builder(name).initialState(0L)
        .queue("jobs")
        .queue("other")
        .queue("guarded")
        .canPublish("guarded", c -> c.state() >= 0)
        .queue("work", Job.class, (c, job) -> {
          HANDLED.add(job.task());
          if (job.task().equals("block")) {
            gate.join();
          } else if (job.task().equals("fail")) {
            throw new UserError("bad_job", "job failed");
          }
          return "done " + c.updateState(s -> s + job.n());
        })
        .queue("meta", QueueMessage.class, (c, m) -> m.id() + " " + m.name() + " "
            + m.body(Job.class).task())
        .action("send", (c, a) -> c.queue().send(a.get(0, String.class),
            a.get(1).raw().orElse(null)).id())
        .action("tryNext", (c, a) -> c.queue().tryNext(names(a, 0)).map(QueueTest::describe)
            .orElse(null))
        .action("tryNextBatch", (c, a) -> c.queue().tryNextBatch(a.get(0, Integer.class),
            names(a, 1)).stream().map(QueueTest::describe).toList())
        .action("size", (c, a) -> c.queue().size())
        .action("destroy", (c, a) -> {
          c.destroy();
          return null;
        })
        .action("get", (c, a) -> c.state())
        .action("setState", (c, a) -> c.updateState(s -> a.get(0, Long.class)))
        .action("hold", (c, a) -> c.queue().completable().tryNext(names(a, 0)).map(m -> {
          HELD.put(key(c), m);
          return describe(m);
        }).orElse(null))
        .action("complete", (c, a) -> {
          HELD.get(key(c)).complete(a.get(0).raw().orElse(null));
          return null;
        })
        .action("nextAsync", (c, a) -> c.queue().next(Duration.ofMillis(a.get(0, Long.class)),
            names(a, 1)).thenApply(m -> m.map(QueueTest::describe).orElse(null)))
        .action("startWaiting", (c, a) -> {
          CompletableFuture<String> result = new CompletableFuture<>();
          WAITS.put(a.get(0, String.class), result);
          c.queue().next(Duration.ofMillis(a.get(1, Long.class)), names(a, 2))
              .whenComplete((m, e) -> {
                if (e != null) {
                  result.completeExceptionally(e);
                } else { // runs in a turn of the actor: the state is at hand
                  result.complete(m.map(QueueTest::describe).orElse("none") + " state="
                      + c.state());
                }
              });
          return null;
        });
  }

  private static Registry registry() {
    return Registry.builder()
        .actor(actor("queues"))
        .actor(actor("small").options(o -> o.withMaxQueueSize(2).withMaxQueueMessageSize(16)))
        .build();
  }

  private static void until(BooleanSupplier condition) {
    long deadline = System.nanoTime() + TestRegistry.EVENT_TIMEOUT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within " + TestRegistry.EVENT_TIMEOUT);
      }
      Thread.onSpinWait();
    }
  }

  private static Throwable failure(CompletableFuture<?> f) {
    ExecutionException e = assertThrows(ExecutionException.class,
        () -> f.get(TestRegistry.EVENT_TIMEOUT.toSeconds(), TimeUnit.SECONDS));
    return e.getCause();
  }

  private static int size(ActorHandle h) {
    return h.action("size", Integer.class);
  }

  @Test
  void messagesAreReceivedInIdOrderFilteredByName() {
    try (TestRegistry rivet = TestRegistry.start(registry())) {
      ActorHandle h = rivet.client().getOrCreate("queues", Key.of("fifo"));
      assertEquals(1, h.action("send", Long.class, "jobs", "a"));
      assertEquals(2, h.action("send", Long.class, "other", "b"));
      assertEquals(3, h.action("send", Long.class, "jobs", "c"));
      assertEquals(3, size(h));
      assertEquals("1 jobs a", h.action("tryNext", String.class, "jobs"));
      assertEquals("2 other b", h.action("tryNext", String.class)); // no names: any queue
      assertEquals(null, h.action("tryNext", String.class, "other"));
      assertEquals(List.of("3 jobs c"), h.action("tryNextBatch", List.class, 5));
      assertEquals(0, size(h));
    }
  }

  @Test
  void aBatchTakesTheOldestMessages() {
    try (TestRegistry rivet = TestRegistry.start(registry())) {
      ActorHandle h = rivet.client().getOrCreate("queues", Key.of("batch"));
      for (String body : new String[] {"a", "b", "c", "d", "e"}) {
        h.action("send", Long.class, body.equals("c") ? "other" : "jobs", body);
      }
      assertEquals(List.of("1 jobs a", "2 jobs b", "4 jobs d"),
          h.action("tryNextBatch", List.class, 3, "jobs"));
      assertEquals(List.of("3 other c", "5 jobs e"),
          h.action("tryNextBatch", List.class, 3, "jobs", "other"));
    }
  }

  @Test
  void limitsFailWithRivetKitErrors() {
    try (TestRegistry rivet = TestRegistry.start(registry())) {
      ActorHandle h = rivet.client().getOrCreate("small", Key.of("limits"));
      RivetError large = assertThrows(RivetError.class,
          () -> h.action("send", Long.class, "jobs", "x".repeat(20))); // 21 bytes of CBOR
      assertEquals("queue.message_too_large", large.qualifiedCode());
      assertEquals("Queue message too large (21 bytes). Limit is 16 bytes.", large.getMessage());
      assertEquals(1, h.action("send", Long.class, "jobs", "x".repeat(15))); // exactly 16 bytes
      assertEquals(2, h.action("send", Long.class, "jobs", "y"));
      RivetError full = assertThrows(RivetError.class,
          () -> h.action("send", Long.class, "jobs", "z"));
      assertEquals("queue.full", full.qualifiedCode());
      assertEquals("Queue is full. Limit is 2 messages.", full.getMessage());
      RivetError fromClient = assertThrows(RivetError.class, () -> h.send("jobs", "z"));
      assertEquals("queue.full", fromClient.qualifiedCode());
      assertEquals(2, size(h));
    }
  }

  @Test
  void messagesAndIdsSurviveRestart() {
    try (TestRegistry rivet = TestRegistry.start(registry())) {
      ActorHandle h = rivet.client().getOrCreate("queues", Key.of("durable"));
      h.action("send", Long.class, "jobs", "a");
      h.action("send", Long.class, "jobs", "b");
      h.action("send", Long.class, "jobs", "c");
      assertEquals("1 jobs a", h.action("tryNext", String.class));
      rivet.restart();
      h = rivet.client().getOrCreate("queues", Key.of("durable"));
      assertEquals(2, size(h));
      assertEquals(4, h.action("send", Long.class, "jobs", "d"));
      assertEquals(List.of("2 jobs b", "3 jobs c", "4 jobs d"),
          h.action("tryNextBatch", List.class, 10));
      rivet.restart();
      h = rivet.client().getOrCreate("queues", Key.of("durable"));
      assertEquals(5, h.action("send", Long.class, "jobs", "e")); // ids are never reused
    }
  }

  @Test
  void completableMessagesStayUntilCompletedAndAreDeliveredAgainAfterRestart() {
    try (TestRegistry rivet = TestRegistry.start(registry())) {
      ActorHandle h = rivet.client().getOrCreate("queues", Key.of("completable"));
      h.action("send", Long.class, "jobs", "a");
      h.action("send", Long.class, "jobs", "b");
      assertEquals("1 jobs a", h.action("hold", String.class, "jobs"));
      assertEquals(2, size(h)); // still stored
      RivetError again = assertThrows(RivetError.class,
          () -> h.action("tryNext", String.class));
      assertEquals("queue.previous_message_not_completed", again.qualifiedCode());
      rivet.restart(); // never completed: delivered again
      HELD.clear();
      ActorHandle h2 = rivet.client().getOrCreate("queues", Key.of("completable"));
      assertEquals("1 jobs a", h2.action("hold", String.class, "jobs"));
      h2.action("complete", Void.class, "ok");
      assertEquals(1, size(h2));
      RivetError twice = assertThrows(RivetError.class,
          () -> h2.action("complete", Void.class, "ok"));
      assertEquals("queue.already_completed", twice.qualifiedCode());
      assertEquals("Queue message was already completed.", twice.getMessage());
      assertEquals("2 jobs b", h2.action("tryNext", String.class));
    }
  }

  @Test
  void theConsumerHandlesEachMessageOnceInOrderAndAnswersAWaitingSender() {
    try (TestRegistry rivet = TestRegistry.start(registry())) {
      ActorHandle h = rivet.client().getOrCreate("queues", Key.of("consumer"));
      assertTrue(h.send("work", new Job("a", 1)).completed());
      assertTrue(h.send("work", new Job("b", 2)).completed());
      QueueSendResult r = h.send("work", new Job("c", 3), SendOptions.waiting());
      assertEquals(QueueSendResult.COMPLETED, r.status());
      assertEquals(Optional.of("done 6"), r.response(String.class));
      assertEquals(List.of("a", "b", "c"), HANDLED);
      assertEquals(6, h.action("get", Long.class));
      assertEquals(0, size(h));
      assertEquals(null, h.action("tryNext", String.class, "work")); // never handed out
    }
  }

  @Test
  void aHandlerMayTakeTheWholeMessage() {
    try (TestRegistry rivet = TestRegistry.start(registry())) {
      ActorHandle h = rivet.client().getOrCreate("queues", Key.of("meta"));
      h.action("send", Long.class, "jobs", "first");
      QueueSendResult r = h.send("meta", new Job("x", 0), SendOptions.waiting());
      assertEquals(Optional.of("2 meta x"), r.response(String.class));
    }
  }

  @Test
  void aFailingHandlerLosesTheMessageAndTheWaitingSenderGetsTheError() {
    try (TestRegistry rivet = TestRegistry.start(registry())) {
      ActorHandle h = rivet.client().getOrCreate("queues", Key.of("failing"));
      RivetError e = assertThrows(RivetError.class,
          () -> h.send("work", new Job("fail", 1), SendOptions.waiting()));
      assertEquals("user.bad_job", e.qualifiedCode());
      assertEquals("job failed", e.getMessage());
      assertEquals(0, size(h));
      assertEquals(Optional.of("done 1"), h.send("work", new Job("ok", 1), SendOptions.waiting())
          .response(String.class));
    }
  }

  @Test
  void undeclaredNamesAreAcknowledgedAndDropped() {
    try (TestRegistry rivet = TestRegistry.start(registry())) {
      ActorHandle h = rivet.client().getOrCreate("queues", Key.of("undeclared"));
      QueueSendResult r = h.send("nope", 1, SendOptions.waiting());
      assertEquals(new QueueSendResult("completed", Optional.empty()), r);
      assertEquals(0, size(h));
    }
  }

  @Test
  void canPublishRefusesWithAuthForbidden() {
    try (TestRegistry rivet = TestRegistry.start(registry())) {
      ActorHandle h = rivet.client().getOrCreate("queues", Key.of("guarded"));
      h.action("setState", Long.class, -1);
      RivetError e = assertThrows(RivetError.class, () -> h.send("guarded", 1));
      assertEquals("auth.forbidden", e.qualifiedCode());
      assertEquals("Forbidden", e.getMessage());
      assertEquals(0, size(h));
      h.action("setState", Long.class, 0);
      assertTrue(h.send("guarded", 1).completed());
      assertEquals("1 guarded 1", h.action("tryNext", String.class));
    }
  }

  @Test
  void aWaitingSenderTimesOutAtItsTimeoutOrAtTheActionTimeout() {
    try (TestRegistry rivet = TestRegistry.start(registry())) {
      ActorHandle h = rivet.client().getOrCreate("queues", Key.of("timeouts"));
      CompletableFuture<QueueSendResult> own = CompletableFuture.supplyAsync(
          () -> h.send("jobs", "x", SendOptions.waiting(Duration.ofSeconds(5))));
      until(() -> size(h) == 1);
      rivet.clock().advance(Duration.ofMillis(4_999));
      assertEquals(1, size(h)); // a turn after the clock moved: nothing fired
      assertFalse(own.isDone());
      rivet.clock().advance(Duration.ofMillis(1));
      assertEquals(QueueSendResult.TIMED_OUT, TestConnection.await(own).status());
      assertEquals(1, size(h)); // the message stays queued
      CompletableFuture<QueueSendResult> unbounded = CompletableFuture.supplyAsync(
          () -> h.send("jobs", "y", SendOptions.waiting()));
      until(() -> size(h) == 2);
      rivet.clock().advance(Duration.ofSeconds(60));
      RivetError e = assertInstanceOf(RivetError.class, failure(unbounded));
      assertEquals("actor.action_timed_out", e.qualifiedCode());
    }
  }

  @Test
  void completingAMessageAnswersItsWaitingSender() {
    try (TestRegistry rivet = TestRegistry.start(registry())) {
      ActorHandle h = rivet.client().getOrCreate("queues", Key.of("answer"));
      CompletableFuture<QueueSendResult> sent = CompletableFuture.supplyAsync(
          () -> h.send("jobs", "question", SendOptions.waiting(Duration.ofSeconds(10))));
      until(() -> size(h) == 1);
      assertEquals("1 jobs question", h.action("hold", String.class, "jobs"));
      h.action("complete", Void.class, Map.of("answer", 42));
      QueueSendResult r = TestConnection.await(sent);
      assertTrue(r.completed());
      assertEquals(Optional.of(Map.of("answer", 42)), r.response(Map.class));
    }
  }

  @Test
  void nextWaitsForAMatchingMessageOrTimesOut() {
    try (TestRegistry rivet = TestRegistry.start(registry())) {
      ActorHandle h = rivet.client().getOrCreate("queues", Key.of("next"));
      CompletableFuture<String> waiting = h.actionAsync("nextAsync", String.class, 10_000L,
          "jobs").toCompletableFuture();
      h.action("send", Long.class, "other", "skip");
      assertFalse(waiting.isDone());
      h.action("send", Long.class, "jobs", "a");
      assertEquals("2 jobs a", TestConnection.await(waiting));
      assertEquals(1, size(h)); // "other" is still there
      CompletableFuture<String> timesOut = h.actionAsync("nextAsync", String.class, 5_000L,
          "jobs").toCompletableFuture();
      assertEquals(1, size(h)); // the wait has started
      rivet.clock().advance(Duration.ofSeconds(5));
      assertEquals(null, TestConnection.await(timesOut));
    }
  }

  @Test
  void aWaitCompletesInATurnOfTheActor() {
    try (TestRegistry rivet = TestRegistry.start(registry())) {
      ActorHandle h = rivet.client().getOrCreate("queues", Key.of("turn"));
      h.action("setState", Long.class, 7);
      h.action("startWaiting", Void.class, "w", 60_000L, "jobs");
      h.action("send", Long.class, "jobs", "a");
      assertEquals("1 jobs a state=7", TestConnection.await(WAITS.get("w")));
      assertEquals(0, size(h));
    }
  }

  @Test
  void waitingDoesNotKeepTheActorAwakeAndSleepAbortsTheWait() {
    try (TestRegistry rivet = TestRegistry.start(registry())) {
      ActorHandle h = rivet.client().getOrCreate("queues", Key.of("sleepy"));
      h.action("startWaiting", Void.class, "w", 3_600_000L, "jobs");
      rivet.clock().advance(Duration.ofSeconds(31)); // idle past sleepTimeout
      rivet.awaitSleeping("queues", Key.of("sleepy"));
      RivetError e = assertInstanceOf(RivetError.class, failure(WAITS.get("w")));
      assertEquals("actor.aborted", e.qualifiedCode());
    }
  }

  @Test
  void aMessageForAConsumerWakesASleepingActor() {
    try (TestRegistry rivet = TestRegistry.start(registry())) {
      ActorHandle h = rivet.client().getOrCreate("queues", Key.of("wake"));
      h.action("setState", Long.class, 10);
      rivet.sleep("queues", Key.of("wake"));
      QueueSendResult r = h.send("work", new Job("a", 1), SendOptions.waiting());
      assertEquals(Optional.of("done 11"), r.response(String.class));
      assertEquals(2, rivet.events().stream().filter(e -> e.kind().equals("started")
          && "wake".equals(e.key().parts().get(0))).count());
    }
  }

  @Test
  void aCrashBeforeTheHandlersCommitRedeliversAndTheEffectHappensOnce() {
    FaultInjectingStore[] store = new FaultInjectingStore[1];
    TestRegistry.Options options = TestRegistry.Options.defaults()
        .withStore(s -> store[0] = new FaultInjectingStore(s));
    try (TestRegistry rivet = TestRegistry.start(registry(), options)) {
      ActorHandle h = rivet.client().getOrCreate("queues", Key.of("crash"));
      gate = new CompletableFuture<>();
      assertTrue(h.send("work", new Job("block", 5)).completed()); // stored, durably
      until(() -> HANDLED.size() == 1); // the handler runs and waits for the gate
      store[0].hold();
      gate.complete(null);
      until(() -> store[0].heldCount() == 1);
      assertEquals(1, store[0].heldCount()); // state change and deletion: one batch
      store[0].crash(); // the process dies before that batch is on disk
      rivet.restart(); // the stored alarm wakes the actor: the message is handled again
      until(() -> HANDLED.size() == 2);
      ActorHandle again = rivet.client().getOrCreate("queues", Key.of("crash"));
      assertEquals(5, again.action("get", Long.class));
      assertEquals(0, size(again));
      rivet.restart(); // handled and deleted together: not delivered a third time
      assertEquals(5, rivet.client().getOrCreate("queues", Key.of("crash"))
          .action("get", Long.class));
      assertEquals(List.of("block", "block"), HANDLED);
    }
  }

  @Test
  void aFailedCommitWritesTheQueueChangesAgain() {
    FaultInjectingStore[] store = new FaultInjectingStore[1];
    TestRegistry.Options options = TestRegistry.Options.defaults()
        .withStore(s -> store[0] = new FaultInjectingStore(s));
    try (TestRegistry rivet = TestRegistry.start(registry(), options)) {
      ActorHandle h = rivet.client().getOrCreate("queues", Key.of("retry"));
      h.action("send", Long.class, "jobs", "a");
      h.action("send", Long.class, "jobs", "b");
      long before = store[0].commits();
      store[0].failNext(1);
      RivetError e = assertThrows(RivetError.class, () -> h.action("tryNext", String.class));
      assertEquals("rivetkit.internal_error", e.qualifiedCode()); // its deletion was not saved
      until(() -> store[0].commits() == before + 2); // the failed batch and its retry
      store[0].failNext(1);
      assertThrows(RivetError.class, () -> h.action("send", Long.class, "jobs", "c"));
      until(() -> store[0].commits() == before + 4);
      assertEquals(2, size(h));
      rivet.restart();
      ActorHandle again = rivet.client().getOrCreate("queues", Key.of("retry"));
      assertEquals(List.of("2 jobs b", "3 jobs c"), again.action("tryNextBatch", List.class, 5));
      assertEquals(4, again.action("send", Long.class, "jobs", "d"));
    }
  }

  @Test
  void destroyDeletesTheMessagesAndANewActorStartsAtIdOne() {
    try (TestRegistry rivet = TestRegistry.start(registry())) {
      ActorHandle h = rivet.client().getOrCreate("queues", Key.of("gone"));
      h.action("send", Long.class, "jobs", "a");
      h.send("work", new Job("a", 1), SendOptions.waiting());
      h.action("send", Long.class, "jobs", "b");
      h.action("destroy", Void.class);
      rivet.awaitDestroyed("queues", Key.of("gone"));
      ActorHandle fresh = rivet.client().getOrCreate("queues", Key.of("gone"));
      assertEquals(0, size(fresh));
      assertEquals(1, fresh.action("send", Long.class, "jobs", "c"));
    }
  }
}
