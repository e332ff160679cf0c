package io.rivet4j.server;

import static io.rivet4j.server.Harness.getOrCreate;
import static io.rivet4j.server.Harness.utf8;
import static io.rivet4j.server.Hex.bytes;
import static io.rivet4j.server.Hex.hex;
import static io.rivet4j.server.Hex.s;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rivet4j.protocol.ActorSpecifier;
import io.rivet4j.protocol.Encoding;
import io.rivet4j.protocol.ProtocolCodec;
import io.rivet4j.protocol.ToClient;
import io.rivet4j.protocol.ToServer;
import java.math.BigInteger;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The actor-connect WebSocket (client-protocol.md §5), in every encoding. */
class WebSocketTest {
  static Harness h;

  @BeforeAll
  static void start() {
    h = Harness.start();
  }

  @AfterAll
  static void stop() {
    h.close();
  }

  /** One open connection plus its codec. */
  record Session(WsClient ws, ProtocolCodec codec, String actorId, String connectionId) {
    void send(ToServer m) {
      ws.send(codec.encoding() == Encoding.JSON, codec.encode(m));
    }

    ToClient next() {
      WsClient.Message m = ws.next();
      assertEquals(codec.encoding() == Encoding.JSON, m.text(), "frame type");
      return codec.decodeToClient(m.bytes());
    }

    void action(long id, String name, Object... args) {
      send(new ToServer.ActionRequest(id, name, Arrays.asList(args)));
    }
  }

  static Session open(Encoding e, String query, String... extraProtocols) {
    String[] protocols = new String[2 + extraProtocols.length];
    protocols[0] = "rivet";
    protocols[1] = "rivet_encoding." + e.wireName();
    System.arraycopy(extraProtocols, 0, protocols, 2, extraProtocols.length);
    WsClient ws = h.ws("/gateway/counter/connect?" + query, protocols);
    ProtocolCodec codec = ProtocolCodec.of(e);
    ToClient.Init init = assertInstanceOf(ToClient.Init.class,
        codec.decodeToClient(ws.next().bytes()));
    return new Session(ws, codec, init.actorId(), init.connectionId());
  }

  static long count(String key) {
    HttpResponse<byte[]> r = h.action("/gateway/counter/action/getCount?" + getOrCreate(key),
        "json", utf8("{\"args\":[]}"));
    return Long.parseLong(Harness.text(r).replaceAll("\\D", ""));
  }

  @Test
  void bareSessionMatchesCapture() {
    // capture 11.1, on a fresh actor: key ["k-bare", "a/b"], params {token: "p1"}
    WsClient ws = h.ws("/gateway/counter/connect?rvt-namespace=default&rvt-method=getOrCreate"
        + "&rvt-runner=default&rvt-key=k-bare%2Ca%2Fb&rvt-input=uQABZWhlbGxvZXdvcmxk"
        + "&rvt-crash-policy=sleep", "rivet", "rivet_encoding.bare",
        "rivet_conn_params.%7B%22token%22%3A%22p1%22%7D");
    WsClient.Message init = ws.next();
    assertEquals(false, init.text());
    String hex = hex(init.bytes());
    assertEquals("0400" + "00" + "1e", hex.substring(0, 8));
    String id = new String(Arrays.copyOfRange(init.bytes(), 4, 34),
        java.nio.charset.StandardCharsets.US_ASCII);
    assertEquals("24", hex.substring(68, 70));
    assertEquals(2 + 1 + 1 + 30 + 1 + 36, init.bytes().length);

    ws.send(false, bytes("0400 01 08 6e6577436f756e74 01"));
    ws.send(false, bytes("0400 00 00 09 696e6372656d656e74 02 810a"));
    assertEquals("0400" + "03086e6577436f756e7402810a", hex(ws.next().bytes()));
    assertEquals("0400" + "0200010a", hex(ws.next().bytes()));
    ws.send(false, bytes("0400 00 01 04 6563686f 0e 826178826724426967496e746135"));
    assertEquals("0400" + "02010e826178826724426967496e746135", hex(ws.next().bytes()));
    ws.send(false, bytes("0400 00 02 08 6661696c55736572 01 80"));
    assertEquals("0400" + "01" + "0475736572" + "076d795f636f6465" + "09626164207468696e67"
        + "0106a163666f6f01" + "0102" + "011e" + s(id) + "01" + "010b6b2d626172652f615c2f62",
        hex(ws.next().bytes()));
    ws.send(false, bytes("0400 01 08 6e6577436f756e74 00"));
    ws.send(false, bytes("0400 00 03 09 696e6372656d656e74 02 8101"));
    assertEquals("0400" + "0203010b", hex(ws.next().bytes())); // no Event: unsubscribed
    ws.close(1000, "Disposed");
    assertEquals(new WsClient.Close(1000, "Disposed"), ws.awaitClose());
  }

  @Test
  void jsonSessionMatchesCapture() {
    WsClient ws = h.ws("/gateway/counter/connect?" + getOrCreate("k-json%2Ca%2Fb"), "rivet",
        "rivet_encoding.json");
    WsClient.Message init = ws.next();
    assertEquals(true, init.text());
    String initText = init.string();
    assertTrue(initText.matches("\\{\"body\":\\{\"tag\":\"Init\",\"val\":\\{\"actorId\":"
        + "\"[0-9a-z]{30}\",\"connectionId\":\"[0-9a-f-]{36}\"}}}"), initText);
    String id = initText.substring(initText.indexOf("\"actorId\":\"") + 11).substring(0, 30);
    ws.send(true, utf8("{\"body\":{\"tag\":\"SubscriptionRequest\",\"val\":{\"eventName\":"
        + "\"newCount\",\"subscribe\":true}}}"));
    ws.send(true, utf8("{\"body\":{\"tag\":\"ActionRequest\",\"val\":{\"id\":[\"$BigInt\",\"0\"],"
        + "\"name\":\"increment\",\"args\":[10]}}}"));
    assertEquals("{\"body\":{\"tag\":\"Event\",\"val\":{\"args\":[10],\"name\":\"newCount\"}}}",
        ws.next().string());
    assertEquals("{\"body\":{\"tag\":\"ActionResponse\",\"val\":{\"id\":[\"$BigInt\",\"0\"],"
        + "\"output\":10}}}", ws.next().string());
    ws.send(true, utf8("{\"body\":{\"tag\":\"ActionRequest\",\"val\":{\"id\":[\"$BigInt\",\"2\"],"
        + "\"name\":\"failUser\",\"args\":[]}}}"));
    assertEquals("{\"body\":{\"tag\":\"Error\",\"val\":{\"actionId\":[\"$BigInt\",\"2\"],"
        + "\"actor\":{\"actorId\":\"" + id + "\",\"generation\":1,\"key\":\"k-json/a\\\\/b\"},"
        + "\"code\":\"my_code\",\"group\":\"user\",\"message\":\"bad thing\",\"metadata\":"
        + "{\"foo\":1}}}}", ws.next().string());
    // the reference accepts plain numeric ids from clients
    ws.send(true, utf8("{\"body\":{\"tag\":\"ActionRequest\",\"val\":{\"id\":3,"
        + "\"name\":\"getCount\",\"args\":[]}}}"));
    assertEquals("{\"body\":{\"tag\":\"ActionResponse\",\"val\":{\"id\":[\"$BigInt\",\"3\"],"
        + "\"output\":10}}}", ws.next().string());
    ws.close(1000, "Disposed");
    assertEquals(new WsClient.Close(1000, "Disposed"), ws.awaitClose());
  }

  @Test
  void cborSessionMatchesCapture() {
    WsClient ws = h.ws("/gateway/counter/connect?" + getOrCreate("k-cbor%2Ca%2Fb"), "rivet",
        "rivet_encoding.cbor");
    ToClient.Init init = assertInstanceOf(ToClient.Init.class,
        ProtocolCodec.of(Encoding.CBOR).decodeToClient(ws.next().bytes()));
    ws.send(false, bytes("b90001 64626f6479 b90002 63746167 73537562736372697074696f6e5265717565"
        + "7374 6376616c b90002 696576656e744e616d65 686e6577436f756e74 69737562736372696265 f5"));
    ws.send(false, bytes("b90001 64626f6479 b90002 63746167 6d416374696f6e52657175657374 6376616c"
        + " b90003 626964 1b0000000000000000 646e616d65 69696e6372656d656e74 6461726773 810a"));
    assertEquals("a164626f6479a26374616765" + s("Event") + "6376616ca2646e616d65686e6577436f756e74"
        + "6461726773810a", hex(ws.next().bytes()));
    assertEquals("a164626f6479a263746167" + "6e" + s("ActionResponse") + "6376616ca2626964"
        + "1b0000000000000000666f75747075740a", hex(ws.next().bytes()));
    ws.send(false, ProtocolCodec.of(Encoding.CBOR).encode(
        new ToServer.ActionRequest(2, "failUser", List.of())));
    assertEquals("a164626f6479a26374616765" + s("Error") + "6376616ca6" + "6567726f7570"
        + "6475736572" + "64636f6465676d795f636f6465" + "676d65737361676569626164207468696e67"
        + "686d65746164617461a163666f6f01" + "656163746f72a3676163746f724964781e"
        + s(init.actorId()) + "6a67656e65726174696f6e1b0000000000000001"
        + "636b65796b6b2d63626f722f615c2f62" + "68616374696f6e49641b0000000000000002",
        hex(ws.next().bytes()));
    ws.close(1000, "Disposed");
    assertEquals(new WsClient.Close(1000, "Disposed"), ws.awaitClose());
  }

  @ParameterizedTest
  @EnumSource(Encoding.class)
  void actionsSubscriptionsAndBroadcasts(Encoding e) {
    String key = "broadcast-" + e.wireName();
    Session a = open(e, getOrCreate(key), "rivet_conn_params.%7B%22token%22%3A%22p1%22%7D");
    Session b = open(e, getOrCreate(key));
    assertEquals(a.actorId(), b.actorId());
    b.send(new ToServer.SubscriptionRequest("newCount", true));
    // b's subscription is in the mailbox before a's action: a round trip on b orders them
    b.action(0, "getCount");
    assertEquals(new ToClient.ActionResponse(0, 0L), b.next());

    a.action(0, "increment", 5L);
    assertEquals(new ToClient.ActionResponse(0, 5L), a.next()); // a did not subscribe
    assertEquals(new ToClient.Event("newCount", List.of(5L)), b.next());

    // an HTTP action broadcasts to the WebSocket subscriber too
    h.action("/gateway/counter/action/increment?" + getOrCreate(key), "json",
        utf8("{\"args\":[2]}"));
    assertEquals(new ToClient.Event("newCount", List.of(7L)), b.next());

    a.action(1, "getInput");
    Map<?, ?> info = (Map<?, ?>) ((ToClient.ActionResponse) a.next()).output();
    assertEquals(Map.of("token", "p1"), info.get("params"));
    assertEquals(List.of(key), info.get("key"));

    // conn.send reaches the caller without a subscription, before the reply
    a.action(2, "sendToMe");
    assertEquals(new ToClient.Event("private", List.of(1L, "two")), a.next());
    assertEquals(new ToClient.ActionResponse(2, true), a.next());

    a.action(3, "echo", "x", BigInteger.valueOf(5), new byte[] {9, 8});
    List<?> echoed = (List<?>) ((ToClient.ActionResponse) a.next()).output();
    assertEquals("x", echoed.get(0));
    assertEquals(BigInteger.valueOf(5), echoed.get(1));
    assertEquals("0908", hex((byte[]) echoed.get(2)));

    a.action(4, "nope");
    ToClient.Error missing = assertInstanceOf(ToClient.Error.class, a.next());
    assertEquals("actor.action_not_found", missing.group() + "." + missing.code());
    assertEquals(OptionalLong.of(4), missing.actionId());

    a.action(6, "failUnsendable");
    assertEquals(new ToClient.Error("user", "odd", "odd metadata", Optional.empty(),
        OptionalLong.of(6), Optional.of(new ActorSpecifier(a.actorId(), 1, key))), a.next());

    a.action(5, "failInternal");
    assertEquals(new ToClient.Error("rivetkit", "internal_error", "An internal error occurred",
        Optional.empty(), OptionalLong.of(5),
        Optional.of(new ActorSpecifier(a.actorId(), 1, key))), a.next());

    a.ws().close(1000, "Disposed");
    b.ws().close(1000, "Disposed");
    assertEquals(new WsClient.Close(1000, "Disposed"), a.ws().awaitClose());
    assertEquals(new WsClient.Close(1000, "Disposed"), b.ws().awaitClose());
  }

  @ParameterizedTest
  @EnumSource(Encoding.class)
  void rejectedConnectIsErrorThenClose(Encoding e) {
    WsClient ws = h.ws("/gateway/counter/connect?" + getOrCreate("reject"), "rivet",
        "rivet_encoding." + e.wireName(), "rivet_conn_params.%7B%22reject%22%3Atrue%7D");
    WsClient.Message m = ws.next();
    switch (e) {
      case JSON -> assertEquals("{\"body\":{\"tag\":\"Error\",\"val\":{\"actionId\":null,"
          + "\"code\":\"rejected\",\"group\":\"user\",\"message\":\"connection rejected by"
          + " onBeforeConnect\",\"metadata\":{\"why\":\"test\"}}}}", m.string());
      case BARE -> assertEquals("0400" + "01" + "0475736572" + "0872656a6563746564" + "26"
          + s("connection rejected by onBeforeConnect") + "010aa1637768796474657374" + "0000",
          hex(m.bytes()));
      case CBOR -> assertEquals(new ToClient.Error("user", "rejected",
          "connection rejected by onBeforeConnect", Optional.of(Map.of("why", "test")),
          OptionalLong.empty(), Optional.empty()),
          ProtocolCodec.of(e).decodeToClient(m.bytes()));
    }
    assertEquals(new WsClient.Close(1011, "user.rejected"), ws.awaitClose());
  }

  @ParameterizedTest
  @EnumSource(Encoding.class)
  void oversizeMessageClosesAndStateSurvives(Encoding e) {
    String key = "oversize-" + e.wireName();
    Session s = open(e, getOrCreate(key));
    s.action(0, "increment", 4L);
    assertEquals(new ToClient.ActionResponse(0, 4L), s.next());
    try {
      s.send(new ToServer.ActionRequest(1, "echo", List.of("x".repeat(70_018))));
    } catch (java.util.concurrent.CompletionException sendRaced) {
      // the server may refuse the frame before the client has finished writing it
    }
    assertEquals(new WsClient.Close(1011, "message.incoming_too_long"), s.ws().awaitClose());
    assertEquals(4L, count(key));
  }

  @ParameterizedTest
  @EnumSource(Encoding.class)
  void malformedFramesCloseAndStateSurvives(Encoding e) {
    String key = "malformed-" + e.wireName();
    byte[][] garbage = {utf8("{garbage"), bytes("0400ff"), bytes("ff"),
        utf8("{\"body\":{\"tag\":\"Nope\",\"val\":{}}}"),
        ProtocolCodec.of(Encoding.JSON).encode(new ToServer.SubscriptionRequest("x", true))};
    for (byte[] g : garbage) {
      if (e == Encoding.JSON && g == garbage[4]) {
        continue; // valid in JSON
      }
      Session s = open(e, getOrCreate(key));
      s.action(0, "increment", 1L);
      assertInstanceOf(ToClient.ActionResponse.class, s.next());
      s.ws().send(e == Encoding.JSON, g);
      assertEquals(new WsClient.Close(1011, "actor.invalid_request"), s.ws().awaitClose());
    }
    assertEquals(e == Encoding.JSON ? 4L : 5L, count(key));
  }

  @Test
  void outgoingTooLongFailsTheActionOnly() {
    Session s = open(Encoding.BARE, getOrCreate("ws-out"));
    s.action(4, "big", 1_100_000L);
    WsClient.Message m = s.ws().next();
    assertEquals("0400" + "01" + "07" + s("message") + "11" + s("outgoing_too_long") + "19"
        + s("Outgoing message too long") + "00" + "0104" + "00", hex(m.bytes()));
    s.action(5, "big", 3L);
    assertEquals(new ToClient.ActionResponse(5, "xxx"), s.next());
    s.ws().close(1000, "Disposed");
    s.ws().awaitClose();
  }

  @Test
  void shortActionsEndUpRunningOnTheEventLoop() {
    Session s = open(Encoding.BARE, getOrCreate("inline"));
    for (int i = 0; i < 32; i++) { // InlineProfile.RUNS_TO_PROMOTE trial runs
      s.action(i, "thread");
      assertEquals(new ToClient.ActionResponse(i, "virtual"), s.next());
    }
    String where = "virtual";
    for (int i = 32; i < 2_000 && where.equals("virtual"); i++) {
      s.action(i, "thread");
      where = (String) ((ToClient.ActionResponse) s.next()).output();
    }
    assertTrue(where.startsWith("multiThreadIoEventLoopGroup"), where);
    s.ws().close(1000, "Disposed");
    s.ws().awaitClose();
  }

  @Test
  void kickRepliesThenCloses() {
    Session s = open(Encoding.JSON, getOrCreate("kick"));
    s.action(0, "kick");
    assertEquals(new ToClient.ActionResponse(0, "ok"), s.next());
    assertEquals(new WsClient.Close(1000, "kicked by server"), s.ws().awaitClose());
    assertEquals(s.connectionId(), awaitDisconnected(s.connectionId()));
  }

  @Test
  void unroutableSocketsAreUpgradedThenClosed() {
    WsClient miss = h.ws("/gateway/counter/connect?rvt-namespace=default&rvt-method=get"
        + "&rvt-key=nobody", "rivet", "rivet_encoding.json");
    WsClient.Close c = miss.awaitClose();
    assertEquals(1011, c.code());
    assertTrue(c.reason().matches("actor\\.not_found#[0-9a-z]{30}"), c.reason());

    WsClient badNs = h.ws("/gateway/counter/connect?rvt-namespace=nope&rvt-method=get"
        + "&rvt-key=a", "rivet", "rivet_encoding.json");
    assertTrue(badNs.awaitClose().reason().startsWith("namespace.not_found#"));

    WsClient badParams = h.ws("/gateway/counter/connect?" + getOrCreate("p"), "rivet",
        "rivet_encoding.json", "rivet_conn_params.%7Bbad");
    WsClient.Close p = badParams.awaitClose();
    assertEquals(1011, p.code());
    assertTrue(p.reason().startsWith("guard.websocket_closed_before_open#"), p.reason());
  }

  @Test
  void headerRoutedAndDirectConnect() {
    Session first = open(Encoding.JSON, getOrCreate("direct"));
    String id = first.actorId();
    WsClient byId = h.ws("/gateway/" + id + "/connect", "rivet", "rivet_encoding.json");
    assertTrue(byId.next().string().contains("\"actorId\":\"" + id + "\""));
    WsClient rooted = h.ws("/connect", "rivet", "rivet_encoding.json", "rivet_target.actor",
        "rivet_actor." + id, "rivet_skip_ready_wait");
    assertTrue(rooted.next().string().contains("\"actorId\":\"" + id + "\""));
    // no subprotocol offered: none selected (the JDK client would reject an unoffered one)
    WsClient plain = h.ws("/gateway/" + id + "/connect");
    assertTrue(plain.next().string().startsWith("{\"body\":{\"tag\":\"Init\""));
    for (WsClient ws : List.of(first.ws(), byId, rooted, plain)) {
      ws.close(1000, "Disposed");
      assertEquals(new WsClient.Close(1000, "Disposed"), ws.awaitClose());
    }
  }

  static String awaitDisconnected(String connectionId) {
    try {
      for (;;) {
        String id = TestActors.DISCONNECTED.poll(20, java.util.concurrent.TimeUnit.SECONDS);
        if (id == null) {
          throw new AssertionError("connection " + connectionId + " was not disconnected");
        }
        if (id.equals(connectionId)) {
          return id;
        }
      }
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
  }
}
