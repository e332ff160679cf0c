package io.rivet4j.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rivet4j.api.Key;
import io.rivet4j.examples.counter.Counter;
import io.rivet4j.protocol.Encoding;
import io.rivet4j.protocol.HttpActionRequest;
import io.rivet4j.protocol.HttpActionResponse;
import io.rivet4j.protocol.ProtocolCodec;
import java.net.ServerSocket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The exact requests the client sends, compared with what the official JavaScript client sends
 * (the captures of client-protocol.md), against a recording fake server.
 */
class WireTest {
  private static final String INPUT_QUERY = "rvt-input=uQABZWhlbGxvZXdvcmxk"; // {hello:"world"}
  private RecordingServer server;

  @BeforeEach
  void start() {
    server = RecordingServer.start();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private RivetClient.Builder builder(Encoding e) {
    return RivetClient.builder().endpoint(server.endpoint()).encoding(e);
  }

  private static RecordingServer.Response output(Encoding e, Object value) {
    return new RecordingServer.Response(200, e.contentType(),
        ProtocolCodec.of(e).encode(new HttpActionResponse(value)));
  }

  @ParameterizedTest
  @EnumSource(Encoding.class)
  void keyHandlesCallActionsThroughTheQueryGateway(Encoding e) throws Exception {
    server.answer(r -> output(e, 13L));
    try (RivetClient client = builder(e).build()) {
      RemoteActorHandle handle = client.getOrCreate("counter", Key.of("k-bare", "a/b"),
          Map.of("hello", "world")).withParams(Map.of("token", "p1"));
      assertEquals(13L, handle.action("increment", Long.class, 10));

      RecordingServer.Request metadata = server.next();
      assertEquals("GET", metadata.method());
      assertEquals("/metadata?namespace=default", metadata.target());

      RecordingServer.Request action = server.next();
      assertEquals("POST", action.method());
      assertEquals("/gateway/counter/action/increment?rvt-namespace=default"
          + "&rvt-method=getOrCreate&rvt-runner=default&rvt-key=k-bare%2Ca%2Fb&" + INPUT_QUERY
          + "&rvt-crash-policy=sleep", action.target());
      assertEquals(e.wireName(), action.header("x-rivet-encoding"));
      assertEquals(e.contentType(), action.header("content-type"));
      assertEquals("{\"token\":\"p1\"}", action.header("x-rivet-conn-params"));
      assertNull(action.header("x-rivet-token"));
      assertArrayEquals(ProtocolCodec.of(e).encode(new HttpActionRequest(List.of(10L))),
          action.body());
      if (e == Encoding.BARE) {
        assertEquals("04000281" + "0a", HexFormat.of().formatHex(action.body()));
      } else if (e == Encoding.JSON) {
        assertEquals("{\"args\":[10]}", action.text());
      }

      assertEquals(13L, client.get("counter", Key.of("k-bare", "a/b")).action("getCount",
          Long.class));
      assertEquals("/gateway/counter/action/getCount?rvt-namespace=default&rvt-method=get"
          + "&rvt-key=k-bare%2Ca%2Fb", server.next().target());
      assertEquals(13L, client.get("counter", Key.of()).action("getCount", Long.class));
      assertEquals("/gateway/counter/action/getCount?rvt-namespace=default&rvt-method=get",
          server.next().target(), "the empty key has no rvt-key");
      assertEquals(13L, client.get("a/b c", Key.of("x")).action("a/b c", Long.class));
      assertEquals("/gateway/a%2Fb%20c/action/a%2Fb%20c?rvt-namespace=default&rvt-method=get"
          + "&rvt-key=x", server.next().target());
    }
  }

  @Test
  void tokensAndIdHandlesAsTheJavaScriptClientSendsThem() throws Exception {
    server.answer(r -> output(Encoding.BARE, 1L));
    String endpoint = "http://default:my%40token@127.0.0.1:" + server.port() + "/";
    try (RivetClient client = RivetClient.create(endpoint)) {
      assertEquals("http://127.0.0.1:" + server.port(), client.endpoint());
      assertEquals(1L, client.getForId("counter", "h4212xx9sj6j2iowk24eag9mv6bl00")
          .action("getCount", Long.class));
      RecordingServer.Request metadata = server.next();
      assertEquals("Bearer my@token", metadata.header("authorization"));
      RecordingServer.Request action = server.next();
      assertEquals("/gateway/h4212xx9sj6j2iowk24eag9mv6bl00@my%40token/action/getCount",
          action.target());
      assertEquals("my@token", action.header("x-rivet-token"));

      Counter counter = client.getOrCreate(Counter.class, Key.of("k"));
      assertEquals(1, counter.getCount());
      assertEquals("/gateway/counter/action/getCount?rvt-namespace=default"
          + "&rvt-method=getOrCreate&rvt-runner=default&rvt-key=k&rvt-crash-policy=sleep"
          + "&rvt-token=my%40token", server.next().target());

      assertEquals(server.endpoint() + "/gateway/counter?rvt-namespace=default"
          + "&rvt-method=getOrCreate&rvt-runner=default&rvt-key=k-bare%2Ca%2Fb&" + INPUT_QUERY
          + "&rvt-crash-policy=sleep&rvt-token=my%40token", client.getOrCreate("counter",
              Key.of("k-bare", "a/b"), Map.of("hello", "world")).gatewayUrl());
      assertEquals(server.endpoint() + "/gateway/abc@my%40token",
          client.getForId("counter", "abc").gatewayUrl());
    }
  }

  @Test
  void resolveAndCreateUseTheRestApi() throws Exception {
    String actor = "{\"actor_id\":\"9mmm5ps68sqba05zpqavxgd074cl00\",\"name\":\"counter\","
        + "\"key\":\"k-bare/a\\\\/b\",\"create_ts\":1795390412024}";
    server.answer(r -> switch (r.method()) {
      case "GET" -> RecordingServer.Response.json(200, r.query().contains("missing")
          ? "{\"actors\":[],\"pagination\":{\"cursor\":null}}"
          : "{\"actors\":[" + actor + "],\"pagination\":{\"cursor\":null}}");
      case "PUT" -> RecordingServer.Response.json(200, "{\"actor\":" + actor
          + ",\"created\":false}");
      case "POST" -> r.path().startsWith("/gateway/") ? output(Encoding.BARE, "in")
          : RecordingServer.Response.json(200, "{\"actor\":" + actor + "}");
      default -> RecordingServer.Response.text(500, "?");
    });
    try (RivetClient client = builder(Encoding.BARE).build()) {
      Key key = Key.of("k-bare", "a/b");
      assertEquals("9mmm5ps68sqba05zpqavxgd074cl00", client.get("counter", key).resolve());
      server.next(); // metadata
      RecordingServer.Request get = server.next();
      assertEquals("GET", get.method());
      assertEquals("/actors?name=counter&key=k-bare%2Fa%5C%2Fb&namespace=default",
          get.target());

      assertEquals("9mmm5ps68sqba05zpqavxgd074cl00",
          client.getOrCreate("counter", key, Map.of("hello", "world")).resolve());
      RecordingServer.Request put = server.next();
      assertEquals("PUT /actors?namespace=default", put.method() + " " + put.target());
      assertEquals("application/json", put.header("content-type"));
      assertEquals("{\"name\":\"counter\",\"key\":\"k-bare/a\\\\/b\","
          + "\"runner_name_selector\":\"default\",\"input\":\"uQABZWhlbGxvZXdvcmxk\","
          + "\"crash_policy\":\"sleep\"}", put.text());

      RemoteActorHandle created = client.create("counter", Key.of("c-bare-1"), 42);
      RecordingServer.Request post = server.next();
      assertEquals("POST /actors?namespace=default", post.method() + " " + post.target());
      assertEquals("{\"name\":\"counter\",\"runner_name_selector\":\"default\","
          + "\"key\":\"c-bare-1\",\"input\":\"GCo=\",\"crash_policy\":\"sleep\"}", post.text());
      assertEquals("9mmm5ps68sqba05zpqavxgd074cl00", created.resolve());
      assertEquals("in", created.action("getInput", String.class));
      assertEquals("/gateway/9mmm5ps68sqba05zpqavxgd074cl00/action/getInput",
          server.next().target());

      ActorError missing = assertThrows(ActorError.class,
          () -> client.get("counter", Key.of("missing")).resolve());
      assertEquals("actor.not_found", missing.qualifiedCode());
      assertEquals("Actor not found: counter:[\"missing\"]"
          + " (https://www.rivet.dev/docs/clients/javascript)", missing.getMessage());
    }
  }

  @Test
  void rawFetchAndWebSocketTargetTheActorRoutes() throws Exception {
    server.answer(r -> r.path().contains("/websocket/")
        ? RecordingServer.Response.json(404, "{\"group\":\"actor\",\"code\":\"not_found\","
            + "\"message\":\"Actor route '/websocket/chat' was not found.\","
            + "\"metadata\":{\"id\":\"/websocket/chat\",\"resource\":\"route\"}}")
        : RecordingServer.Response.text(201, "created"));
    try (RivetClient client = builder(Encoding.CBOR).build()) {
      RemoteActorHandle handle = client.getOrCreate("counter", Key.of("k"))
          .withParams(Map.of("token", "p1"));
      HttpResponse<byte[]> response = handle.fetch("/foo/bar?x=1", HttpRequest.newBuilder()
          .POST(HttpRequest.BodyPublishers.ofString("hi")).header("x-my", "1"));
      assertEquals(201, response.statusCode());
      assertEquals("created", new String(response.body()));
      assertTrue(ActorError.fromResponse(response).isEmpty());
      server.next(); // metadata
      RecordingServer.Request fetch = server.next();
      assertEquals("POST", fetch.method());
      assertEquals("/gateway/counter/request/foo/bar?x=1&rvt-namespace=default"
          + "&rvt-method=getOrCreate&rvt-runner=default&rvt-key=k&rvt-crash-policy=sleep",
          fetch.target());
      assertEquals("hi", fetch.text());
      assertEquals("1", fetch.header("x-my"));
      assertEquals("{\"token\":\"p1\"}", fetch.header("x-rivet-conn-params"));
      assertNull(fetch.header("x-rivet-encoding"));

      assertEquals(201, client.getForId("counter", "abc").fetch("").statusCode());
      RecordingServer.Request root = server.next();
      assertEquals("GET /gateway/abc/request/", root.method() + " " + root.target());

      ActorError refused = assertInstanceOf(ActorError.class, Await.failure(
          handle.webSocket("/chat?room=1", new WebSocket.Listener() { })));
      assertEquals("actor.not_found", refused.qualifiedCode());
      assertEquals(Map.of("id", "/websocket/chat", "resource", "route"),
          refused.metadata().orElseThrow());
      RecordingServer.Request ws = server.next();
      assertEquals("GET /gateway/counter/websocket/chat?room=1&rvt-namespace=default"
          + "&rvt-method=getOrCreate&rvt-runner=default&rvt-key=k&rvt-crash-policy=sleep",
          ws.method() + " " + ws.target());
      assertEquals("websocket", ws.header("upgrade"));
      assertEquals("rivet, rivet_encoding.bare, rivet_conn_params.%7B%22token%22%3A%22p1%22%7D",
          ws.header("sec-websocket-protocol"));
    }
  }

  @ParameterizedTest
  @EnumSource(Encoding.class)
  void connectOpensTheGatewaySocketAndGivesUpOnARefusal(Encoding e) throws Exception {
    server.answer(r -> RecordingServer.Response.json(400, "{\"group\":\"guard\","
        + "\"code\":\"query_invalid_params\",\"message\":\"invalid query gateway params\"}"));
    try (RivetClient client = builder(e).build()) {
      ActorConnection<Counter> conn = client.connect(Counter.class, Key.of("k-bare", "a/b"),
          Map.of("token", "p1"));
      BlockingQueue<ActorError> errors = new LinkedBlockingQueue<>();
      conn.onError(errors::add);
      ActorError refused = assertInstanceOf(ActorError.class, Await.failure(conn.ready()));
      assertEquals("guard.query_invalid_params", refused.qualifiedCode());
      assertEquals("guard.query_invalid_params", Await.take(errors).qualifiedCode());
      assertEquals(ConnectionStatus.IDLE, conn.status());
      server.next(); // metadata
      RecordingServer.Request ws = server.next();
      assertEquals("/gateway/counter/connect?rvt-namespace=default&rvt-method=getOrCreate"
          + "&rvt-runner=default&rvt-key=k-bare%2Ca%2Fb&rvt-crash-policy=sleep", ws.target());
      assertEquals("rivet, rivet_encoding." + e.wireName()
          + ", rivet_conn_params.%7B%22token%22%3A%22p1%22%7D",
          ws.header("sec-websocket-protocol"));
      assertEquals(List.of(), server.drain(), "no retry");
    }
  }

  @Test
  void keyHandlesRetryWhileTheActorIsMissingAndIdHandlesDoNot() throws Exception {
    server.answer(r -> RecordingServer.Response.json(404, "{\"group\":\"actor\","
        + "\"code\":\"not_found\",\"message\":\"The actor does not exist or was destroyed.\"}"));
    ManualScheduler scheduler = ManualScheduler.immediate();
    try (RivetClient client = builder(Encoding.BARE).scheduler(scheduler).build()) {
      ActorError get = assertThrows(ActorError.class,
          () -> client.get("counter", Key.of("missing")).action("getCount", Long.class));
      assertEquals("actor.not_found", get.qualifiedCode());
      assertEquals("ray-1", get.rayId().orElseThrow());
      server.next(); // metadata
      assertEquals(24, server.drain().size(), "get: 24 attempts");
      assertEquals(Collections.nCopies(23, Duration.ofMillis(100)), scheduler.delays());

      assertThrows(ActorError.class,
          () -> client.getOrCreate("counter", Key.of("missing")).action("getCount", Long.class));
      assertEquals(60, server.drain().size(), "getOrCreate: 60 attempts");

      assertThrows(ActorError.class,
          () -> client.getForId("counter", "gone").action("getCount", Long.class));
      assertEquals(1, server.drain().size(), "getForId: one attempt");

      HttpResponse<byte[]> raw = client.getOrCreate("counter", Key.of("k")).fetch("x");
      assertEquals(404, raw.statusCode(), "a raw response is returned after the retries");
      assertEquals(60, server.drain().size());
    }
  }

  @Test
  void lifecycleBoundariesAreRetriedFiveTimes() throws Exception {
    server.answer(r -> RecordingServer.Response.json(503, "{\"group\":\"guard\","
        + "\"code\":\"service_unavailable\",\"message\":\"unavailable\"}"));
    ManualScheduler scheduler = ManualScheduler.immediate();
    try (RivetClient client = builder(Encoding.JSON).scheduler(scheduler).build()) {
      ActorError e = assertThrows(ActorError.class,
          () -> client.getForId("counter", "abc").action("getCount", Long.class));
      assertEquals("guard.service_unavailable", e.qualifiedCode());
      server.next(); // metadata
      assertEquals(5, server.drain().size());
      assertEquals(List.of(25L, 50L, 100L, 200L),
          scheduler.delays().stream().map(Duration::toMillis).toList());
    }
  }

  @Test
  void aServerThatIsDownIsNamedInTheError() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    ManualScheduler scheduler = ManualScheduler.manual();
    String endpoint = "http://127.0.0.1:" + port;
    try (RivetClient client = RivetClient.builder().endpoint(endpoint).scheduler(scheduler)
        .build()) {
      ActorError e = assertThrows(ActorError.class,
          () -> client.getOrCreate(Counter.class, Key.of("k")).getCount());
      assertEquals("client.unreachable", e.qualifiedCode());
      assertTrue(e.getMessage().startsWith("Cannot connect to the Rivet server at " + endpoint
          + " (connection refused)"), e.getMessage());
      ActorConnection<Counter> conn = client.connect(Counter.class, Key.of("k"));
      assertEquals(Duration.ofMillis(250), scheduler.next().delay(), "connections keep trying");
      assertEquals(ConnectionStatus.DISCONNECTED, conn.status());
      conn.close();
      assertEquals(ConnectionStatus.IDLE, conn.status());
    }
  }

  @Test
  void answersInAnotherProtocolAreReportedClearly() throws Exception {
    server.answer(r -> new RecordingServer.Response(200, "application/octet-stream",
        HexFormat.of().parseHex("0500" + "0103")));
    try (RivetClient client = builder(Encoding.BARE).build()) {
      ActorError e = assertThrows(ActorError.class,
          () -> client.getForId("counter", "abc").action("getCount", Long.class));
      assertEquals("client.protocol_mismatch", e.qualifiedCode());
      assertTrue(e.getMessage().contains("client protocol (v4)"), e.getMessage());
    }
    server.answerMetadata(RecordingServer.Response.text(404, "Not Found"));
    try (RivetClient client = builder(Encoding.BARE).build()) {
      ActorError e = assertThrows(ActorError.class,
          () -> client.getForId("counter", "abc").action("getCount", Long.class));
      assertEquals("client.protocol_mismatch", e.qualifiedCode());
      assertTrue(e.getMessage().contains("is not a Rivet server"), e.getMessage());
    }
  }

  @Test
  void metadataCanRedirectTheClient() throws Exception {
    try (RecordingServer other = RecordingServer.start()) {
      other.answer(r -> output(Encoding.BARE, 5L));
      server.answerMetadata(RecordingServer.Response.json(200, "{\"runtime\":\"rivetkit\","
          + "\"version\":\"2.3.19\",\"clientEndpoint\":\"" + other.endpoint() + "/\","
          + "\"clientNamespace\":\"ns2\",\"clientToken\":\"tok\"}"));
      try (RivetClient client = builder(Encoding.BARE).build()) {
        assertEquals(5L, client.get("counter", Key.of("k")).action("getCount", Long.class));
        assertEquals("/gateway/counter/action/getCount?rvt-namespace=ns2&rvt-method=get"
            + "&rvt-key=k&rvt-token=tok", other.next().target());
        assertEquals(List.of("/metadata"), server.drain().stream()
            .map(RecordingServer.Request::path).toList());
      }
    }
  }
}
