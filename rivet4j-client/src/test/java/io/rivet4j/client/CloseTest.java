package io.rivet4j.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rivet4j.api.Key;
import io.rivet4j.client.internal.NetworkClient;
import io.rivet4j.examples.counter.Counter;
import java.nio.file.Path;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link RivetClient#close()} releases everything and refuses further calls. */
class CloseTest {
  @TempDir
  Path dir;

  @Test
  void closeDisposesConnectionsAndReleasesThreads() throws Exception {
    try (TestServer server = TestServer.start(dir)) {
      RivetClient client = RivetClient.create(server.endpoint());
      Counter counter = client.getOrCreate(Counter.class, Key.of("close"));
      assertEquals(1, counter.increment(1));
      ActorConnection<Counter> conn = client.connect(Counter.class, Key.of("close"));
      BlockingQueue<String> closed = new LinkedBlockingQueue<>();
      conn.onClose(() -> closed.add("closed"));
      assertEquals(1, conn.actions().getCount());

      client.close();
      client.close(); // idempotent
      assertEquals("closed", Await.take(closed));
      assertEquals(ConnectionStatus.IDLE, conn.status());
      assertTrue(((NetworkClient) client).isTerminated());
      assertEquals("client.closed", assertThrows(ActorError.class, counter::getCount)
          .qualifiedCode());
      assertEquals("client.connection_disposed", assertThrows(ActorError.class,
          () -> conn.actions().getCount()).qualifiedCode());
      assertEquals("client.closed", assertThrows(ActorError.class,
          () -> client.connect(Counter.class, Key.of("close")).actions().getCount())
          .qualifiedCode());
    }
  }

  @Test
  void blockingCallsFromListenersAreRefusedInsteadOfDeadlocking() throws Exception {
    try (TestServer server = TestServer.start(dir);
         RivetClient client = RivetClient.create(server.endpoint());
         ActorConnection<Counter> conn = client.connect(Counter.class, Key.of("lane"))) {
      BlockingQueue<Object> outcome = new LinkedBlockingQueue<>();
      conn.on(Counter.NEW_COUNT, n -> {
        try {
          outcome.add(conn.actions().getCount());
        } catch (IllegalStateException e) {
          outcome.add(e);
        }
        conn.actionAsync("getCount", Long.class).thenAccept(outcome::add);
      });
      assertEquals(1, conn.actions().increment(1));
      assertTrue(Await.take(outcome) instanceof IllegalStateException);
      assertEquals(1L, Await.take(outcome), "async calls from a listener are fine");
    }
  }
}
