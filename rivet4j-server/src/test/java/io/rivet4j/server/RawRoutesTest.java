package io.rivet4j.server;

import static io.rivet4j.server.Harness.getOrCreate;
import static io.rivet4j.server.Harness.text;
import static io.rivet4j.server.Harness.utf8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rivet4j.protocol.Encoding;
import io.rivet4j.protocol.HttpResponseError;
import io.rivet4j.protocol.ProtocolCodec;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Raw HTTP ({@code …/request/*} → {@code onRequest}) and raw WebSockets ({@code …/websocket/*}
 * → {@code onWebSocket}), client-protocol.md §6 and semantics.md §2.3.
 */
class RawRoutesTest {
  static Harness h;

  @BeforeAll
  static void start() {
    h = Harness.start();
  }

  @AfterAll
  static void stop() {
    h.close();
  }

  static String raw(String key, String rest) {
    return "/gateway/raw/request" + rest + (rest.contains("?") ? "&" : "?") + getOrCreate(key);
  }

  static String params(String json) {
    return json;
  }

  static HttpResponseError jsonError(HttpResponse<byte[]> r) {
    assertEquals("application/json", r.headers().firstValue("content-type").orElseThrow());
    return ProtocolCodec.of(Encoding.JSON).decodeHttpResponseError(r.body());
  }

  @Test
  void requestReachesOnRequestWithPathQueryHeadersAndAConnection() {
    HttpResponse<byte[]> r = h.get(raw("req-info", "/foo/bar?x=1&y=two"), "x-my", "1",
        "x-rivet-conn-params", "{\"token\":\"p1\"}");
    assertEquals(200, r.statusCode());
    assertEquals("GET /foo/bar ?x=1&y=two n=1 params={token=p1} conns=1 x-my=1 ray=true"
        + " url=http://actor/foo/bar?x=1&y=two", text(r));
    assertEquals("text/plain; charset=utf-8", r.headers().firstValue("content-type")
        .orElseThrow());
    assertEquals("yes", r.headers().firstValue("x-custom").orElseThrow());
    // the server frames the body itself, whatever the actor claimed
    assertEquals(String.valueOf(r.body().length), r.headers().firstValue("content-length")
        .orElseThrow());
    assertTrue(r.headers().firstValue("x-rivet-actor").isPresent());
    assertEquals("*", r.headers().firstValue("access-control-allow-origin").orElseThrow());
  }

  @Test
  void theConnectionOfARequestEndsWithIt() throws Exception {
    HttpResponse<byte[]> r = h.get(raw("req-conn", "/x"));
    assertEquals(200, r.statusCode());
    String actorId = r.headers().firstValue("x-rivet-actor").orElseThrow();
    HttpResponse<byte[]> conns = h.action("/gateway/" + actorId + "/action/conns", "json",
        utf8("{\"args\":[]}"));
    // only the stateless action's own connection remains
    assertEquals("{\"output\":1}", text(conns));
  }

  @Test
  void emptyPathIsSlashAndStateChangesPersist() {
    assertEquals(200, h.get(raw("req-state", "")).statusCode());
    HttpResponse<byte[]> r = h.method("PUT", raw("req-state", "/"), utf8("x"));
    assertEquals("PUT / ? n=2 params=null conns=1 x-my=- ray=true url=http://actor/", text(r));
    HttpResponse<byte[]> count = h.action("/gateway/raw/action/count?" + getOrCreate("req-state"),
        "json", utf8("{\"args\":[]}"));
    assertEquals("{\"output\":2}", text(count));
  }

  @Test
  void bodiesOfMegabytesAreEchoedIntact() {
    byte[] body = new byte[2 * 1024 * 1024];
    new Random(7).nextBytes(body);
    HttpResponse<byte[]> r = h.method("POST", raw("req-big", "/echo"), body, "content-type",
        "application/x-test");
    assertEquals(201, r.statusCode());
    assertEquals("application/x-test", r.headers().firstValue("content-type").orElseThrow());
    assertArrayEquals(body, r.body());
  }

  @Test
  void refusedConnectionIsAJsonErrorWithTheActor() {
    HttpResponse<byte[]> r = h.get(raw("req-bad", "/x"), "x-rivet-conn-params",
        "{\"token\":\"bad\"}");
    assertEquals(500, r.statusCode());
    HttpResponseError e = jsonError(r);
    assertEquals("user", e.group());
    assertEquals("forbidden", e.code());
    assertEquals("connection rejected", e.message());
    assertTrue(e.actor().isPresent());
    assertEquals(java.util.Optional.of("req-bad"), e.actor().get().key());
  }

  @Test
  void badConnParamsJsonIsRefused() {
    HttpResponse<byte[]> r = h.get(raw("req-badjson", "/x"), "x-rivet-conn-params", "{nope");
    HttpResponseError e = jsonError(r);
    assertEquals("core.internal_error", e.group() + "." + e.code());
  }

  @Test
  void failingHandlersAreMaskedOrPassedThroughAsActions() {
    HttpResponseError internal = jsonError(h.get(raw("req-fail", "/boom")));
    assertEquals("rivetkit.internal_error", internal.group() + "." + internal.code());
    assertEquals("An internal error occurred", internal.message());
    HttpResponseError user = jsonError(h.get(raw("req-fail", "/user")));
    assertEquals("user.teapot", user.group() + "." + user.code());
    assertEquals("short and stout", user.message());
    HttpResponseError nothing = jsonError(h.get(raw("req-fail", "/null")));
    assertEquals("rivetkit.internal_error", nothing.group() + "." + nothing.code());
    // the actor keeps serving
    assertEquals(200, h.get(raw("req-fail", "/fine")).statusCode());
  }

  @Test
  void actorWithoutOnRequestAnswers404WithoutRunningConnectHooks() {
    // the counter's onBeforeConnect would reject {"reject":true} with a 500
    HttpResponse<byte[]> r = h.get("/gateway/counter/request/anything?" + getOrCreate("no-raw"),
        "x-rivet-conn-params", "{\"reject\":true}");
    assertEquals(404, r.statusCode());
    assertEquals(0, r.body().length);
  }

  // ---------------------------------------------------------------- raw WebSocket

  static String rawWs(String key, String rest) {
    return "/gateway/raw/websocket" + rest + (rest.contains("?") ? "&" : "?")
        + getOrCreate(key);
  }

  static String paramsProtocol(String json) {
    return "rivet_conn_params." + URLEncoder.encode(json, StandardCharsets.UTF_8)
        .replace("+", "%20");
  }

  /** What the actor's close listener saw for the socket of actor {@code key}. */
  static String closeSeenBy(String key) throws InterruptedException {
    java.util.List<String> others = new java.util.ArrayList<>();
    try {
      for (;;) {
        String line = TestActors.RAW_CLOSED.poll(20, TimeUnit.SECONDS);
        if (line == null) {
          throw new AssertionError("no close seen by " + key + " (others: " + others + ")");
        }
        if (line.startsWith(key + " ")) {
          return line.substring(key.length() + 1);
        }
        others.add(line);
      }
    } finally {
      TestActors.RAW_CLOSED.addAll(others); // other tests' closes
    }
  }

  @Test
  void framesAreEchoedUnchangedAndInOrder() throws Exception {
    WsClient ws = h.ws(rawWs("ws-echo", "/chat?room=1"), "rivet", "rivet_encoding.bare",
        paramsProtocol("{\"name\":\"bob\"}"));
    assertEquals("welcome /chat ?room=1 params={name=bob}", ws.next().string());
    ws.send(true, utf8("hello"));
    ws.send(true, utf8(""));
    ws.send(true, utf8("ü😀"));
    ws.send(false, new byte[] {9, 8, 7});
    byte[] big = new byte[300 * 1024]; // above the 64 KiB limit of protocol messages
    new Random(3).nextBytes(big);
    ws.send(false, big);
    assertEquals("hello", ws.next().string());
    WsClient.Message empty = ws.next();
    assertTrue(empty.text());
    assertEquals("", empty.string());
    assertEquals("ü😀", ws.next().string());
    WsClient.Message bin = ws.next();
    assertFalse(bin.text());
    assertArrayEquals(new byte[] {9, 8, 7}, bin.bytes());
    assertArrayEquals(big, ws.next().bytes());
    ws.close(1000, "bye");
    assertEquals(new WsClient.Close(1000, "bye"), ws.awaitClose());
    assertEquals("1000 bye", closeSeenBy("ws-echo"));
  }

  @Test
  void listenersChangeStateAndAFailingListenerDoesNotCloseTheSocket() {
    WsClient ws = h.ws(rawWs("ws-state", ""), "rivet");
    assertEquals("welcome / ? params=null", ws.next().string());
    ws.send(true, utf8("count"));
    assertEquals("count 1", ws.next().string());
    ws.send(true, utf8("fail"));
    ws.send(true, utf8("count"));
    assertEquals("count 2", ws.next().string());
    ws.abort();
  }

  @Test
  void actorClosesWithItsCodeAndReason() throws Exception {
    WsClient ws = h.ws(rawWs("ws-close", ""), "rivet");
    ws.next();
    ws.send(true, utf8("bye"));
    assertEquals(new WsClient.Close(4000, "bye yourself"), ws.awaitClose());
    assertEquals("4000 bye yourself", closeSeenBy("ws-close"));
  }

  @Test
  void sleepingActorClosesItsRawSockets() throws Exception {
    WsClient ws = h.ws(rawWs("ws-sleep", ""), "rivet");
    ws.next();
    ws.send(true, utf8("sleep"));
    assertEquals(new WsClient.Close(1001, "actor.stopping"), ws.awaitClose());
    assertEquals("1001 actor.stopping", closeSeenBy("ws-sleep"));
    // and it wakes for the next one
    WsClient again = h.ws(rawWs("ws-sleep", ""), "rivet");
    assertEquals("welcome / ? params=null", again.next().string());
    again.abort();
  }

  @Test
  void refusedSocketClosesWithTheError() {
    WsClient ws = h.ws(rawWs("ws-bad", ""), "rivet", paramsProtocol("{\"token\":\"bad\"}"));
    WsClient.Close close = ws.awaitClose();
    assertEquals(1011, close.code());
    assertEquals("user.forbidden", close.reason());
    assertTrue(ws.messages.isEmpty());
  }

  @Test
  void actorWithoutOnWebSocketKeepsTheSocketAndDropsFrames() {
    // as RivetKit: open, frames go nowhere, the peer's close is answered
    WsClient ws = h.ws("/gateway/counter/websocket/x?" + getOrCreate("no-raw-ws"), "rivet");
    ws.send(true, utf8("anyone?"));
    ws.close(1000, "bye");
    assertEquals(new WsClient.Close(1000, "bye"), ws.awaitClose());
    assertTrue(ws.messages.isEmpty());
  }

  @Test
  void theGenerationCountsStarts() throws Exception {
    HttpResponse<byte[]> first = h.get(raw("gen", "/x"));
    assertEquals("1", first.headers().firstValue("x-rivet-actor-generation").orElseThrow());
    WsClient ws = h.ws(rawWs("gen", ""), "rivet");
    ws.next();
    ws.send(true, utf8("sleep")); // the actor sleeps (closing the socket); the next call wakes it
    ws.awaitClose();
    HttpResponse<byte[]> second = h.get(raw("gen", "/x"));
    assertEquals("2", second.headers().firstValue("x-rivet-actor-generation").orElseThrow());
    HttpResponseError e = jsonError(h.get(raw("gen", "/user")));
    assertEquals(2L, e.actor().orElseThrow().generation());
  }

  @Test
  void websocketPathWithoutUpgradeIsNotFound() {
    HttpResponse<byte[]> r = h.get("/gateway/raw/websocket/x?" + getOrCreate("ws-plain"));
    assertEquals(404, r.statusCode());
  }
}
