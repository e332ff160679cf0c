package io.rivet4j.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rivet4j.api.ActorType;
import io.rivet4j.api.Key;
import io.rivet4j.examples.counter.Counter;
import io.rivet4j.protocol.Encoding;
import java.math.BigInteger;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The client against the real RivetKit 2.3.19 (the reference of {@code shared/reference}:
 * engine + registry with the conformance actors). Runs only when
 * {@code RIVET_REFERENCE_ENDPOINT} is set, e.g. {@code http://127.0.0.1:6420}.
 */
@EnabledIfEnvironmentVariable(named = "RIVET_REFERENCE_ENDPOINT", matches = ".+")
class ReferenceServerTest {
  private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
  private final List<RivetClient> clients = new ArrayList<>();

  /** The conformance actor of conformance-actors.md. */
  @ActorType("conformance")
  interface Conformance {
    Object echo(Object value);

    Object getInput();

    List<String> getKey();

    String getActorId();

    long increment(long n);

    long getCount();

    void throwUserError(String code, String message, Object metadata);

    long throwInternal();

    Map<String, Object> whoAmI();

    Object emit(String eventName, Object payload);

    Object emitToCaller(String eventName, Object payload);

    long connCount();
  }

  private RivetClient client(Encoding encoding) {
    RivetClient c = RivetClient.builder().endpoint(System.getenv("RIVET_REFERENCE_ENDPOINT"))
        .encoding(encoding).build();
    clients.add(c);
    return c;
  }

  @AfterEach
  void close() {
    clients.forEach(RivetClient::close);
  }

  private static Key key(String test, Encoding e) {
    return Key.of(test + "-" + RUN + "/" + e.wireName(), "a\\b");
  }

  @ParameterizedTest
  @EnumSource(Encoding.class)
  void resolution(Encoding e) {
    RivetClient client = client(e);
    Key key = key("resolution", e);
    RemoteActorHandle created = client.create("conformance", key, Map.of("hello", "wörld"));
    String id = created.resolve();
    Conformance actor = created.as(Conformance.class);
    assertEquals(Map.of("hello", "wörld"), actor.getInput());
    assertEquals(key.parts(), actor.getKey());
    assertEquals(id, actor.getActorId());
    assertEquals(id, client.get("conformance", key).resolve());
    assertEquals(id, client.getOrCreate("conformance", key).resolve());
    assertEquals(id, client.get(Conformance.class, key).getActorId());
    assertEquals(id, client.getOrCreate(Conformance.class, key).getActorId());
    // The engine answers a duplicate create with actor.duplicate_key, or sometimes (observed)
    // with actor.destroyed_during_creation.
    String duplicate = assertThrows(ActorError.class,
        () -> client.create("conformance", key)).qualifiedCode();
    assertTrue(duplicate.equals("actor.duplicate_key")
        || duplicate.equals("actor.destroyed_during_creation"), duplicate);
    assertEquals("actor.not_found", assertThrows(ActorError.class,
        () -> client.get("conformance", key("missing", e)).resolve()).qualifiedCode());
    Key viaGateway = key("gateway-input", e);
    assertEquals(42L, client.getOrCreate(Conformance.class, viaGateway, 42).getInput());
  }

  @ParameterizedTest
  @EnumSource(Encoding.class)
  void valuesAndErrors(Encoding e) {
    RivetClient client = client(e);
    client.create("conformance", key("values", e)); // the reference is slow to create on demand
    Conformance actor = client.getOrCreate(Conformance.class, key("values", e));
    assertEquals("héllo 漢字 🎉", actor.echo("héllo 漢字 🎉"));
    assertEquals(BigInteger.valueOf(Long.MAX_VALUE), actor.echo(Long.MAX_VALUE));
    assertEquals(1.5, actor.echo(1.5));
    assertNull(actor.echo(null));
    assertArrayEquals(new byte[] {1, 2, 3}, (byte[]) actor.echo(new byte[] {1, 2, 3}));
    Probe.Sample sample = new Probe.Sample("t", Long.MIN_VALUE, 0.25, new byte[] {9},
        List.of(new Probe.Inner("a", 1)), Map.of("k", List.of(1L)), null, null);
    Probe.Sample back = client.getOrCreate("conformance", key("values", e))
        .action("echo", Probe.Sample.class, sample);
    assertEquals(sample.items(), back.items());
    assertEquals(Long.MIN_VALUE, back.big());
    assertArrayEquals(sample.bytes(), back.bytes());
    assertEquals(sample.extra(), back.extra());

    ActorError user = assertThrows(ActorError.class,
        () -> actor.throwUserError("my_code", "bad thing", Map.of("foo", 1)));
    assertEquals("user.my_code", user.qualifiedCode());
    assertEquals("bad thing", user.getMessage());
    assertEquals(Map.of("foo", 1L), user.metadata().orElseThrow());
    assertTrue(user.actor().isPresent());
    ActorError internal = assertThrows(ActorError.class, actor::throwInternal);
    assertEquals("rivetkit.internal_error", internal.qualifiedCode());
    assertTrue(!internal.getMessage().contains("secret"), internal.getMessage());
  }

  @ParameterizedTest
  @EnumSource(Encoding.class)
  void connectionsEventsAndParams(Encoding e) throws Exception {
    RivetClient client = client(e);
    Key key = key("conn", e);
    client.create("counter", key); // the reference is slow to create on demand
    client.create("conformance", key);
    try (ActorConnection<Counter> conn = client.connect(Counter.class, key)) {
      List<Long> counts = new CopyOnWriteArrayList<>();
      Subscription sub = conn.on(Counter.NEW_COUNT, counts::add);
      assertEquals(3, conn.actions().increment(3));
      assertEquals(List.of(3L), counts);
      sub.close();
      assertEquals(4, conn.actions().increment(1));
      assertEquals(List.of(3L), counts);
    }
    try (ActorConnection<Conformance> conn = client.connect(Conformance.class, key,
        Map.of("name", "ann"))) {
      assertEquals(Map.of("name", "ann"), conn.actions().whoAmI());
      BlockingQueue<List<Object>> events = new LinkedBlockingQueue<>();
      conn.on("ev", events::add);
      conn.actions().emit("ev", Map.of("n", 5L));
      assertEquals(List.of(Map.of("n", 5L)), Await.take(events));
      conn.on("mine", events::add);
      conn.actions().emitToCaller("mine", "only you");
      assertEquals(List.of("only you"), Await.take(events));
      ActorError user = assertThrows(ActorError.class,
          () -> conn.actions().throwUserError("c", "m", null));
      assertEquals("user.c", user.qualifiedCode());
      assertEquals(1, conn.actions().connCount());
    }
    try (ActorConnection<Conformance> bad = client.connect(Conformance.class, key,
        Map.of("token", "bad"))) {
      ActorError refused = assertInstanceOf(ActorError.class, Await.failure(bad.ready()));
      assertEquals("user.forbidden", refused.qualifiedCode());
      assertEquals(ConnectionStatus.IDLE, bad.status());
    }
  }

  @ParameterizedTest
  @EnumSource(Encoding.class)
  void rawRequestsAndWebSockets(Encoding e) throws Exception {
    RivetClient client = client(e);
    Key key = Key.of("raw-" + RUN + "-" + e.wireName(), "two");
    client.create("conformance", key); // the reference is slow to create on demand
    RemoteActorHandle handle = client.getOrCreate("conformance", key);
    HttpResponse<byte[]> hello = handle.fetch("/hello");
    assertEquals(200, hello.statusCode());
    assertEquals("hello raw-" + RUN + "-" + e.wireName() + ",two",
        new String(hello.body(), StandardCharsets.UTF_8));
    HttpResponse<byte[]> echo = handle.fetch("echo", HttpRequest.newBuilder()
        .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[] {1, 2, 3}))
        .header("content-type", "application/x-test"));
    assertEquals(200, echo.statusCode());
    assertArrayEquals(new byte[] {1, 2, 3}, echo.body());
    assertEquals("application/x-test", echo.headers().firstValue("content-type").orElse(""));
    String id = handle.resolve();
    assertEquals(404, client.getForId("conformance", id).fetch("/nope").statusCode());

    BlockingQueue<String> texts = new LinkedBlockingQueue<>();
    CompletionStage<WebSocket> opening = handle.webSocket("/", new WebSocket.Listener() {
      @Override
      public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
        texts.add(data.toString());
        ws.request(1);
        return null;
      }
    });
    WebSocket ws = Await.done(opening);
    assertEquals("welcome", Await.take(texts));
    ws.sendText("ping ✓", true);
    assertEquals("ping ✓", Await.take(texts));
    Await.done(ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye"));
  }
}
