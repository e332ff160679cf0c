package io.rivet4j.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rivet4j.api.ActorHandle;
import io.rivet4j.api.Key;
import io.rivet4j.examples.counter.Counter;
import io.rivet4j.protocol.Encoding;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The client against a Rivet4j server, in json, cbor and bare. */
class EncodingMatrixTest {
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
  void createGetGetOrCreateGetForIdAndResolveWithCompoundKeys(Encoding e) {
    RivetClient client = client(e);
    Key key = key("resolve", e);
    RemoteActorHandle created = client.create("probe", key, Map.of("hello", "wörld"));
    String id = created.resolve();
    assertEquals(30, id.length(), id);

    Probe.Info info = created.as(Probe.class).getInput();
    assertEquals(Map.of("hello", "wörld"), info.input());
    assertEquals(key.parts(), info.key());
    assertEquals(id, info.actorId());
    assertNull(info.params());

    assertEquals(id, client.get("probe", key).resolve());
    assertEquals(id, client.getOrCreate("probe", key).resolve());
    assertEquals(id, client.getForId("probe", id).resolve());
    assertEquals(info, client.getForId(Probe.class, id).getInput());
    assertEquals(info, client.get(Probe.class, key).getInput());
    assertEquals(info, client.getOrCreate(Probe.class, key, "ignored: exists").getInput());
    assertEquals(Map.of("hello", "wörld"), client.getForId("probe", id)
        .action("getInput", Map.class).get("input"));

    ActorError duplicate = assertThrows(ActorError.class,
        () -> client.create("probe", key, null));
    assertEquals("actor.duplicate_key", duplicate.qualifiedCode());

    Key missing = key("missing", e);
    ActorError notFound = assertThrows(ActorError.class,
        () -> client.get("probe", missing).resolve());
    assertEquals("actor.not_found", notFound.qualifiedCode());
    assertEquals("Actor not found: probe:" + "[\"missing/" + e.wireName()
        + "\",\"a\\\\b\",\"c/d\\\\/e\"] (https://www.rivet.dev/docs/clients/javascript)",
        notFound.getMessage());
  }

  @ParameterizedTest
  @EnumSource(Encoding.class)
  void getOrCreateSendsItsInputOnlyWhenItCreates(Encoding e) {
    RivetClient client = client(e);
    Key viaGateway = key("input-gateway", e);
    Key viaRest = key("input-rest", e);
    assertEquals(42L, client.getOrCreate("probe", viaGateway, 42).as(Probe.class).getInput()
        .input());
    assertEquals(42L, client.getOrCreate("probe", viaGateway, 7).as(Probe.class).getInput()
        .input());
    String id = client.getOrCreate("probe", viaRest, List.of("x", 1)).resolve();
    assertEquals(List.of("x", 1L), client.getForId(Probe.class, id).getInput().input());
    assertEquals(id, client.getOrCreate("probe", viaRest, "other").resolve());
    assertEquals(Key.of(), Key.of()); // the empty key works too:
    Probe empty = client.getOrCreate(Probe.class, Key.of());
    assertEquals(List.of(), empty.getInput().key());
  }

  @ParameterizedTest
  @EnumSource(Encoding.class)
  void typedAndUntypedActions(Encoding e) throws Exception {
    RivetClient client = client(e);
    Key key = key("actions", e);
    Counter counter = client.getOrCreate(Counter.class, key);
    assertEquals(5, counter.increment(5));
    assertEquals(5, counter.getCount());
    RemoteActorHandle handle = client.getOrCreate("counter", key);
    assertEquals(7L, handle.action("increment", Long.class, 2));
    assertEquals(7, handle.action("getCount", long.class));
    assertEquals(8, Await.done(handle.actionAsync("increment", Integer.class, 1)));
    Probe probe = client.getOrCreate(Probe.class, key);
    assertEquals(6, probe.incrementTwice(3));
    CompletionStage<Long> async = client.getOrCreate("probe", key).as(Probe.Async.class)
        .increment(10);
    assertEquals(16L, Await.done(async));
    ActorError error = assertInstanceOf(ActorError.class, Await.failure(
        client.getOrCreate("probe", key).as(Probe.Async.class).failUser()));
    assertEquals("user.my_code", error.qualifiedCode());
    ActorError missingAction = assertThrows(ActorError.class,
        () -> handle.action("nope", Object.class));
    assertEquals("actor", missingAction.group());
    assertEquals("action_not_found", missingAction.code());
    assertThrows(IllegalArgumentException.class, () -> handle.as(Probe.class),
        "the probe contract is not the counter's");
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
  void userErrorsCarryCodeMessageMetadataAndActor(Encoding e) throws Exception {
    RivetClient client = client(e);
    Key key = key("user-error", e);
    Probe probe = client.getOrCreate(Probe.class, key);
    String id = client.getOrCreate("probe", key).resolve();
    ActorError http = assertThrows(ActorError.class, probe::failUser);
    assertEquals("user", http.group());
    assertEquals("my_code", http.code());
    assertEquals("bad thing", http.getMessage());
    assertEquals(Map.of("foo", 1L), http.metadata().orElseThrow());
    assertEquals(id, http.actor().orElseThrow().actorId());
    assertTrue(http.rayId().isPresent());

    try (ActorConnection<Probe> conn = client.connect(Probe.class, key)) {
      ActorError ws = assertThrows(ActorError.class, () -> conn.actions().failUser());
      assertEquals("user.my_code", ws.qualifiedCode());
      assertEquals("bad thing", ws.getMessage());
      assertEquals(Map.of("foo", 1L), ws.metadata().orElseThrow());
      assertEquals(id, ws.actor().orElseThrow().actorId());
      assertEquals(1, conn.actions().increment(1), "the connection survives an action error");
    }
  }

  @ParameterizedTest
  @EnumSource(Encoding.class)
  void internalErrorsAreMasked(Encoding e) {
    RivetClient client = client(e);
    Key key = key("internal", e);
    ActorError http = assertThrows(ActorError.class,
        () -> client.getOrCreate(Probe.class, key).failInternal());
    assertEquals("rivetkit.internal_error", http.qualifiedCode());
    assertEquals("An internal error occurred", http.getMessage());
    assertTrue(http.metadata().isEmpty());
    assertFalse(http.getMessage().contains("secret"));
    try (ActorConnection<ActorHandle> conn = client.connect("probe", key)) {
      ActorError ws = assertThrows(ActorError.class,
          () -> conn.action("failInternal", Long.class));
      assertEquals("rivetkit.internal_error", ws.qualifiedCode());
      assertEquals("An internal error occurred", ws.getMessage());
    }
  }

  @ParameterizedTest
  @EnumSource(Encoding.class)
  void eventsUnsubscribeAndOnce(Encoding e) throws Exception {
    RivetClient client = client(e);
    Key key = key("events", e);
    try (ActorConnection<Counter> conn = client.connect(Counter.class, key)) {
      List<Long> all = new CopyOnWriteArrayList<>();
      List<Long> first = new CopyOnWriteArrayList<>();
      List<List<Object>> raw = new CopyOnWriteArrayList<>();
      Subscription sub = conn.on(Counter.NEW_COUNT, all::add);
      conn.once(Counter.NEW_COUNT, first::add);
      conn.on("newCount", raw::add);
      assertEquals(1, conn.actions().increment(1)); // its event arrives before its result
      assertEquals(List.of(1L), all);
      assertEquals(List.of(1L), first);
      assertEquals(List.of(List.of(1L)), raw);
      assertEquals(3, conn.actions().increment(2));
      assertEquals(List.of(1L, 3L), all);
      assertEquals(List.of(1L), first, "once fires once");
      sub.close();
      sub.close();
      assertEquals(6, conn.actions().increment(3));
      assertEquals(List.of(1L, 3L), all, "unsubscribed");
      assertEquals(List.of(List.of(1L), List.of(3L), List.of(6L)), raw);
    }
    try (ActorConnection<Probe> probe = client.connect(Probe.class, key)) {
      List<List<Object>> privateEvents = new CopyOnWriteArrayList<>();
      probe.on("private", privateEvents::add);
      assertTrue(probe.actions().sendToMe(), "sent to this connection, subscribed or not");
      assertEquals(List.of(List.of(1L, "two")), privateEvents);
    }
  }

  @ParameterizedTest
  @EnumSource(Encoding.class)
  void onlySubscribedConnectionsGetBroadcasts(Encoding e) throws Exception {
    RivetClient client = client(e);
    Key key = key("broadcast", e);
    try (ActorConnection<Counter> listening = client.connect(Counter.class, key);
         ActorConnection<Counter> silent = client.connect(Counter.class, key)) {
      BlockingQueue<Long> heard = new LinkedBlockingQueue<>();
      listening.on(Counter.NEW_COUNT, heard::add);
      // A reply on the same socket means the server has handled the subscription before it.
      assertEquals(0, listening.actions().getCount());
      List<Long> unheard = new CopyOnWriteArrayList<>();
      silent.on("other", args -> unheard.add(0L));
      assertEquals(4, silent.actions().increment(4));
      assertEquals(4L, Await.take(heard));
      assertEquals(List.of(), unheard);
      Await.done(listening.dispose());
      assertEquals(ConnectionStatus.IDLE, listening.status());
      assertEquals("client.connection_disposed", assertThrows(ActorError.class,
          () -> listening.actions().getCount()).qualifiedCode());
    }
  }

  @ParameterizedTest
  @EnumSource(Encoding.class)
  void manyConnections(Encoding e) throws Exception {
    RivetClient client = client(e);
    Key key = key("many", e);
    int n = 25;
    List<ActorConnection<Probe>> conns = new ArrayList<>();
    BlockingQueue<String> heard = new LinkedBlockingQueue<>();
    try {
      for (int i = 0; i < n; i++) {
        ActorConnection<Probe> c = client.connect(Probe.class, key);
        int index = i;
        c.on(Probe.NEW_COUNT, v -> heard.add(index + ":" + v));
        conns.add(c);
      }
      for (ActorConnection<Probe> c : conns) {
        // A reply on the same socket means the server has handled the subscription before it.
        assertEquals(0, c.actions().getCount());
      }
      Set<String> ids = new HashSet<>();
      conns.forEach(c -> ids.add(c.connectionId().orElseThrow()));
      assertEquals(n, ids.size(), "every connection has its own id");
      String actorId = conns.get(0).actorId().orElseThrow();
      conns.forEach(c -> assertEquals(actorId, c.actorId().orElseThrow()));

      assertEquals(9, conns.get(7).actions().increment(9));
      Set<String> got = new HashSet<>();
      for (int i = 0; i < n; i++) {
        got.add(Await.take(heard));
      }
      Set<String> expected = new HashSet<>();
      for (int i = 0; i < n; i++) {
        expected.add(i + ":9");
      }
      assertEquals(expected, got);

      List<CompletionStage<Long>> calls = new ArrayList<>();
      for (ActorConnection<Probe> c : conns) {
        calls.add(c.actionAsync("increment", Long.class, 1));
      }
      Set<Long> results = new HashSet<>();
      for (CompletionStage<Long> call : calls) {
        results.add(Await.done(call));
      }
      assertEquals(n, results.size(), "each increment saw its own count");
      assertEquals(9L + n, client.getOrCreate(Probe.class, key).getCount());
    } finally {
      conns.forEach(ActorConnection::close);
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

  @ParameterizedTest
  @EnumSource(Encoding.class)
  void rawRequestsReachTheActorRoutes(Encoding e) throws Exception {
    RivetClient client = client(e);
    Key key = key("raw", e);
    String id = client.getOrCreate("probe", key).resolve();
    RemoteActorHandle byId = client.getForId("probe", id);
    // Rivet4j actors have no onRequest/onWebSocket yet: the server answers "route not found".
    var response = byId.fetch("/hello/there?x=1");
    assertEquals(404, response.statusCode());
    ActorError error = ActorError.fromResponse(response).orElseThrow();
    assertEquals("actor.not_found", error.qualifiedCode());
    assertEquals(Map.of("id", "/request/hello/there", "resource", "route"),
        error.metadata().orElseThrow());
    ActorError ws = assertInstanceOf(ActorError.class, Await.failure(
        byId.webSocket("chat?room=1", new java.net.http.WebSocket.Listener() { })));
    assertEquals("actor.not_found", ws.qualifiedCode());
    assertEquals(Map.of("id", "/websocket/chat", "resource", "route"),
        ws.metadata().orElseThrow());
    assertEquals(server.endpoint() + "/gateway/" + id, byId.gatewayUrl());
    assertEquals(server.endpoint() + "/gateway/probe?rvt-namespace=default&rvt-method=get"
        + "&rvt-key=" + String.join("%2C", Arrays.asList("raw%2F" + e.wireName(), "a%5Cb",
            "c%2Fd%5C%2Fe")), client.get("probe", key).gatewayUrl());
  }
}
