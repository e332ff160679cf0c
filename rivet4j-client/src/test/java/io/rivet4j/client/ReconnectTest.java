package io.rivet4j.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rivet4j.api.Key;
import io.rivet4j.examples.counter.Counter;
import io.rivet4j.protocol.Encoding;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Reconnection (client-protocol.md §5.5) across server restarts, with real and manual time. */
class ReconnectTest {
  @TempDir
  Path dir;

  private static RivetClient.Builder client(TestServer server, Encoding encoding) {
    return RivetClient.builder().endpoint(server.endpoint()).encoding(encoding);
  }

  @ParameterizedTest
  @EnumSource(Encoding.class)
  void aRestartedServerGetsTheConnectionBack(Encoding e) throws Exception {
    try (TestServer server = TestServer.start(dir);
         RivetClient client = client(server, e).build()) {
      Key key = Key.of("restart", e.wireName());
      ActorConnection<Probe> conn = client.connect(Probe.class, key);
      BlockingQueue<Long> counts = new LinkedBlockingQueue<>();
      BlockingQueue<ConnectionStatus> statuses = new LinkedBlockingQueue<>();
      BlockingQueue<ActorError> errors = new LinkedBlockingQueue<>();
      conn.on(Probe.NEW_COUNT, counts::add);
      conn.onStatusChange(statuses::add);
      conn.onError(errors::add);
      assertEquals(1, conn.actions().increment(1));
      assertEquals(1L, Await.take(counts));
      String firstConnection = conn.connectionId().orElseThrow();

      // An action in flight when the socket goes away fails, and is never sent again.
      String tag = "restart-" + e.wireName();
      CompletionStage<Object> held = conn.actionAsync("hold", Object.class, tag);
      assertEquals(tag, Await.take(ProbeActor.HOLDING));
      server.stopServer(); // 1001 ws.going_away
      ActorError inFlight = assertInstanceOf(ActorError.class, Await.failure(held));
      assertEquals("ws.going_away", inFlight.qualifiedCode());
      assertEquals("ws.going_away", Await.take(errors).qualifiedCode());
      ProbeActor.HELD.remove(tag).complete("too late"); // lets the runtime stop
      server.stop();
      Await.until(statuses, () -> conn.status() != ConnectionStatus.CONNECTED);

      // Issued while the server is down: queued, sent once after the reconnect.
      CompletionStage<Long> queued = conn.actionAsync("increment", Long.class, 10);
      server.startAgain(); // same port, same data
      assertEquals(11L, Await.done(queued));
      assertEquals(11L, Await.take(counts), "the subscription was restored");
      assertEquals(ConnectionStatus.CONNECTED, conn.status());
      assertNotEquals(firstConnection, conn.connectionId().orElseThrow());
      assertEquals(12, conn.actions().increment(1));
      assertEquals(12L, Await.take(counts));
      assertEquals(12, client.getOrCreate(Probe.class, key).getCount(), "exactly once");
      assertTrue(counts.isEmpty());
    }
  }

  @Test
  void backoffDoublesFrom250MillisecondsTo30SecondsAndStartsOverAfterConnecting()
      throws Exception {
    ManualScheduler scheduler = ManualScheduler.manual();
    try (TestServer server = TestServer.start(dir);
         RivetClient client = client(server, Encoding.BARE).scheduler(scheduler).build()) {
      ActorConnection<Counter> conn = client.connect(Counter.class, Key.of("backoff"));
      assertEquals(0, conn.actions().getCount());
      server.stopServer(); // the first retry runs at once and finds no server
      List<Long> delays = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        ManualScheduler.Task next = scheduler.next();
        delays.add(next.delay().toMillis());
        assertEquals(ConnectionStatus.DISCONNECTED, conn.status());
        if (i == 9) {
          server.startServer();
        }
        next.run().run();
      }
      assertEquals(List.of(250L, 500L, 1000L, 2000L, 4000L, 8000L, 16000L, 30000L, 30000L,
          30000L), delays);
      assertEquals(1, conn.actions().increment(1), "connected again");
      assertEquals(ConnectionStatus.CONNECTED, conn.status());

      server.stopServer();
      assertEquals(Duration.ofMillis(250), scheduler.next().delay(), "the backoff starts over");
      conn.close();
      assertEquals(ConnectionStatus.IDLE, conn.status());
    }
  }

  @Test
  void aQueuedActionThatIsCancelledIsNeverSent() throws Exception {
    ManualScheduler scheduler = ManualScheduler.manual();
    try (TestServer server = TestServer.start(dir);
         RivetClient client = client(server, Encoding.JSON).scheduler(scheduler).build()) {
      ActorConnection<Counter> conn = client.connect(Counter.class, Key.of("cancel"));
      assertEquals(1, conn.actions().increment(1));
      server.stopServer();
      ManualScheduler.Task retry = scheduler.next();
      CompletionStage<Long> cancelled = conn.actionAsync("increment", Long.class, 100);
      CompletionStage<Long> kept = conn.actionAsync("increment", Long.class, 10);
      assertTrue(cancelled.toCompletableFuture().cancel(false));
      server.startServer();
      retry.run().run();
      assertEquals(11L, Await.done(kept));
      assertEquals(11, client.getOrCreate(Counter.class, Key.of("cancel")).getCount());
    }
  }

  @Test
  void aKeyConnectionWaitsForItsActorButAnIdConnectionGivesUp() throws Exception {
    ManualScheduler scheduler = ManualScheduler.manual();
    try (TestServer server = TestServer.start(dir);
         RivetClient client = client(server, Encoding.CBOR).scheduler(scheduler).build()) {
      // get() of a key nobody created: actor.not_found is retried with the backoff.
      ActorConnection<Counter> waiting = client.get("counter", Key.of("later"))
          .connect(Counter.class);
      ManualScheduler.Task retry = scheduler.next();
      assertEquals(Duration.ofMillis(250), retry.delay());
      assertEquals(ConnectionStatus.DISCONNECTED, waiting.status());
      client.create("counter", Key.of("later"));
      retry.run().run();
      assertEquals(0, waiting.actions().getCount());
      waiting.close();

      // getForId of an actor that is destroyed: one attempt, then actor.not_found for good.
      String id = client.create("counter", Key.of("doomed")).resolve();
      ActorConnection<Counter> doomed = client.getForId("counter", id).connect(Counter.class);
      BlockingQueue<ActorError> errors = new LinkedBlockingQueue<>();
      doomed.onError(errors::add);
      assertEquals(0, doomed.actions().getCount());
      client.getForId(Counter.class, id).destroy();
      ActorError gone = Await.take(errors);
      assertEquals("actor.not_found", gone.qualifiedCode());
      assertEquals(ConnectionStatus.IDLE, doomed.status());
      assertEquals("actor.not_found", assertInstanceOf(ActorError.class, Await.failure(
          doomed.actionAsync("getCount", Long.class))).qualifiedCode());
    }
  }
}
