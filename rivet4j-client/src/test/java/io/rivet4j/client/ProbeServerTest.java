package io.rivet4j.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rivet4j.api.ActorHandle;
import io.rivet4j.api.Key;
import io.rivet4j.protocol.Encoding;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What only the Java test server's {@link ProbeActor} can show, in json, cbor and bare: varargs
 * and records as arguments, events with several arguments, rejections with metadata, params
 * asked afresh on every connect, and a server that disconnects a connection. The behaviour
 * RivetKit's conformance actors show is in {@link ClientMatrix}.
 */
class ProbeServerTest {
  @TempDir
  static Path dir;
  static TestServer server;
  private final List<RivetClient> clients = new ArrayList<>();

  @BeforeAll
  static void startServer() {
    server = TestServer.start(dir);
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  @AfterEach
  void closeClients() {
    clients.forEach(RivetClient::close);
  }

  private RivetClient client(Encoding encoding) {
    RivetClient c = RivetClient.builder().endpoint(server.endpoint()).encoding(encoding).build();
    clients.add(c);
    return c;
  }

  /** A compound key with '/' and '\' in its parts, unique per test and encoding. */
  private static Key key(String test, Encoding e) {
    return Key.of(test + "/" + e.wireName(), "a\\b", "c/d\\/e");
  }

  @ParameterizedTest
  @EnumSource(Encoding.class)
  void valuesRoundTrip(Encoding e) {
    RivetClient client = client(e);
    Probe probe = client.getOrCreate(Probe.class, key("values", e));
    Map<String, Object> extra = new LinkedHashMap<>();
    extra.put("unicode", "héllo 漢字 🎉 \u0000 \"quoted\"");
    extra.put("nothing", null);
    extra.put("list", List.of(1L, "two", List.of()));
    extra.put("$tag", List.of("$BigInt", "1"));
    Probe.Sample sample = new Probe.Sample("tëxt ✓", Long.MAX_VALUE, -0.1, new byte[] {0, 1, -1},
        List.of(new Probe.Inner("a", 1), new Probe.Inner("ü", -2)), extra,
        new Probe.Inner("nested", Integer.MIN_VALUE), null);
    Probe.Sample back = probe.first(sample);
    assertEquals(sample.text(), back.text());
    assertEquals(Long.MAX_VALUE, back.big());
    assertEquals(-0.1, back.ratio());
    assertArrayEquals(sample.bytes(), back.bytes());
    assertEquals(sample.items(), back.items());
    assertEquals(extra, back.extra());
    assertEquals(sample.nested(), back.nested());
    assertNull(back.absent());

    List<Object> echoed = probe.echo("héllo 漢字 🎉", 42L, (1L << 53) + 1, Long.MIN_VALUE, 1.5,
        1e300, 2.0, null, true, new byte[] {1, 2, 3}, Map.of("k", List.of(1L)), List.of());
    assertEquals(12, echoed.size());
    assertEquals("héllo 漢字 🎉", echoed.get(0));
    assertEquals(42L, echoed.get(1));
    assertEquals(BigInteger.valueOf((1L << 53) + 1), echoed.get(2));
    assertEquals(BigInteger.valueOf(Long.MIN_VALUE), echoed.get(3));
    assertEquals(1.5, echoed.get(4));
    assertEquals(1e300, echoed.get(5));
    assertEquals(2L, echoed.get(6), "an integral double is a JavaScript integer");
    assertNull(echoed.get(7));
    assertEquals(true, echoed.get(8));
    assertArrayEquals(new byte[] {1, 2, 3}, (byte[]) echoed.get(9));
    assertEquals(Map.of("k", List.of(1L)), echoed.get(10));
    assertEquals(List.of(), echoed.get(11));
    assertEquals(List.of(), probe.echo());
  }

  @ParameterizedTest
  @EnumSource(Encoding.class)
  void eventsMayCarrySeveralArguments(Encoding e) throws Exception {
    RivetClient client = client(e);
    try (ActorConnection<Probe> probe = client.connect(Probe.class, key("several", e))) {
      List<List<Object>> privateEvents = new CopyOnWriteArrayList<>();
      probe.on("private", privateEvents::add);
      assertTrue(probe.actions().sendToMe(), "sent to this connection, subscribed or not");
      assertEquals(List.of(List.of(1L, "two")), privateEvents);
    }
  }

  @ParameterizedTest
  @EnumSource(Encoding.class)
  void connectionParams(Encoding e) throws Exception {
    RivetClient client = client(e);
    Key key = key("params", e);
    Map<String, Object> params = Map.of("token", "p1 ✓ 漢", "n", 2L);
    RemoteActorHandle handle = client.getOrCreate("probe", key).withParams(params);
    assertEquals(params, handle.as(Probe.class).getInput().params(), "x-rivet-conn-params");
    assertNull(client.getOrCreate(Probe.class, key).getInput().params());

    try (ActorConnection<Probe> conn = handle.connect(Probe.class)) {
      assertEquals(params, conn.actions().getInput().params(), "rivet_conn_params");
    }
    List<Object> supplied = new CopyOnWriteArrayList<>();
    try (ActorConnection<ActorHandle> conn = client.getOrCreate("probe", key)
        .withParamsSupplier(() -> {
          Map<String, Object> p = Map.of("call", (long) supplied.size());
          supplied.add(p);
          return p;
        }).connect()) {
      BlockingQueue<String> opened = new LinkedBlockingQueue<>();
      conn.onOpen(() -> opened.add("open"));
      Probe probe = conn.actions().as(Probe.class);
      Probe.Info info = probe.getInput();
      assertEquals(Map.of("call", 0L), info.params());
      assertEquals(info.actorId(), conn.actions().resolve());
      assertEquals("open", Await.take(opened));
      assertEquals("ok", probe.kick());
      assertEquals("open", Await.take(opened));
      assertEquals(Map.of("call", 1L), probe.getInput().params(), "fresh params per connect");
    }

    RemoteActorHandle rejected = client.getOrCreate("probe", key)
        .withParams(Map.of("reject", true));
    ActorError httpRefusal = assertThrows(ActorError.class,
        () -> rejected.as(Probe.class).getCount());
    assertEquals("user.rejected", httpRefusal.qualifiedCode());
    try (ActorConnection<Probe> conn = rejected.connect(Probe.class)) {
      BlockingQueue<ActorError> errors = new LinkedBlockingQueue<>();
      conn.onError(errors::add);
      ActorError refusal = assertInstanceOf(ActorError.class, Await.failure(conn.ready()));
      assertEquals("user.rejected", refusal.qualifiedCode());
      assertEquals("connection rejected by onBeforeConnect", refusal.getMessage());
      assertEquals(Map.of("why", "test"), refusal.metadata().orElseThrow());
      assertEquals("user.rejected", Await.take(errors).qualifiedCode());
      assertEquals(ConnectionStatus.IDLE, conn.status());
      assertEquals("user.rejected", assertThrows(ActorError.class,
          () -> conn.actions().getCount()).qualifiedCode());
    }
  }

  @ParameterizedTest
  @EnumSource(Encoding.class)
  void statusCallbacksAndKickReconnect(Encoding e) throws Exception {
    RivetClient client = client(e);
    Key key = key("kick", e);
    ActorConnection<Probe> conn = client.connect(Probe.class, key);
    BlockingQueue<ConnectionStatus> statuses = new LinkedBlockingQueue<>();
    BlockingQueue<String> opened = new LinkedBlockingQueue<>();
    BlockingQueue<String> closed = new LinkedBlockingQueue<>();
    conn.onStatusChange(statuses::add);
    conn.onOpen(() -> opened.add("open"));
    conn.onClose(() -> closed.add("close"));
    assertEquals("open", Await.take(opened)); // at once if already connected
    assertEquals(ConnectionStatus.CONNECTED, conn.status());
    statuses.clear();
    String firstConn = conn.connectionId().orElseThrow();
    BlockingQueue<Long> counts = new LinkedBlockingQueue<>();
    conn.on(Probe.NEW_COUNT, counts::add);
    assertEquals(1, conn.actions().increment(1));
    assertEquals(1L, Await.take(counts));

    assertEquals("ok", conn.actions().kick()); // server closes 1000 "kicked by server"
    assertEquals("close", Await.take(closed));
    assertEquals("open", Await.take(opened));
    assertEquals(List.of(ConnectionStatus.DISCONNECTED, ConnectionStatus.CONNECTING,
        ConnectionStatus.CONNECTED), List.of(Await.take(statuses), Await.take(statuses),
            Await.take(statuses)));
    String secondConn = conn.connectionId().orElseThrow();
    assertNotEquals(firstConn, secondConn);
    assertEquals(3, conn.actions().increment(2), "the subscription was sent again");
    assertEquals(3L, Await.take(counts));

    conn.close();
    assertEquals("close", Await.take(closed));
    assertEquals(ConnectionStatus.IDLE, Await.take(statuses));
    assertEquals(ConnectionStatus.IDLE, conn.status());
  }
}
