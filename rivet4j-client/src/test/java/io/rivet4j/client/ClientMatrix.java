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
import io.rivet4j.protocol.ActorSpecifier;
import io.rivet4j.protocol.Encoding;
import java.math.BigInteger;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The client behaviour matrix: one body of tests, run in json, cbor and bare against every
 * server that serves the conformance actors of spec/conformance-actors.md ({@code counter},
 * {@code chatRoom}, {@code conformance}) — the Java server ({@link JavaServerMatrixTest}) and the
 * real RivetKit 2.3.19 ({@link ReferenceServerTest}). Every expectation is the real RivetKit's
 * behaviour, except the known {@link #divergences()} of the server under test.
 *
 * <p>The real RivetKit is slow to create actors and racing creations of one new key can stall
 * for seconds, so tests create an actor before fanning out to it. Keys are unique per run: a
 * reference server keeps its actors between runs of a test class.
 */
abstract class ClientMatrix {
  private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
  private final List<RivetClient> clients = new ArrayList<>();

  /** The server's endpoint, e.g. {@code http://127.0.0.1:6420}. */
  abstract String endpoint();

  /** Where the server under test is known to differ from RivetKit 2.3.19. */
  Set<Divergence> divergences() {
    return Set.of();
  }

  /**
   * A known difference from RivetKit 2.3.19. The test that meets it expects this server's value
   * instead of RivetKit's, so fixing the server fails that test until the entry is removed.
   */
  enum Divergence {
    /** Errors raised after a sleep and wake name generation 1 instead of RivetKit's 2. */
    GENERATION_AFTER_WAKE,
    /**
     * A raw WebSocket to an actor without {@code onWebSocket}: RivetKit keeps it open (frames
     * are dropped) and answers the client's close; this server closes it at once with
     * {@code 1011 actor.websocket_not_supported}.
     */
    RAW_WEBSOCKET_WITHOUT_HANDLER
  }

  /** {@code reference}, or {@code ours} where this server has divergence {@code d}. */
  private <T> T expected(Divergence d, T reference, T ours) {
    return divergences().contains(d) ? ours : reference;
  }

  @AfterEach
  void closeClients() {
    clients.forEach(RivetClient::close); // disposes their connections too
  }

  private RivetClient client(Encoding encoding) {
    RivetClient c = RivetClient.builder().endpoint(endpoint()).encoding(encoding).build();
    clients.add(c);
    return c;
  }

  /** A compound key with '/', '\' and Unicode in its parts, unique per run, test and encoding. */
  private static Key key(String test, Encoding e) {
    return Key.of(test + "-" + RUN, e.wireName(), "a/b\\c", "ü 😀");
  }

  /** Creates the actor (the reference is slow to create on demand) and returns its id. */
  private static String create(RivetClient client, String name, Key key) {
    return client.create(name, key).resolve();
  }

  private static void assertActor(String id, Key key, ActorError error) {
    assertEquals(new ActorSpecifier(id, 1, key.serialize()), error.actor().orElseThrow(),
        error.toString());
  }

  // ------------------------------------------------------------------ addressing (§5)

  @ParameterizedTest
  @EnumSource(Encoding.class)
  void createGetGetOrCreateGetForIdAndResolve(Encoding e) {
    RivetClient client = client(e);
    Key key = key("addressing", e);
    Map<String, Object> input = new LinkedHashMap<>();
    input.put("hello", "wörld");
    input.put("nested", Arrays.asList(1L, Map.of("b", List.of()), null));
    RemoteActorHandle created = client.create("conformance", key, input);
    String id = created.resolve();
    Conformance actor = created.as(Conformance.class);
    assertEquals(input, actor.getInput());
    assertEquals(key.parts(), actor.getKey());
    assertEquals(id, actor.getActorId());
    assertEquals(1, actor.getWakes());
    assertEquals(0, actor.getCount());

    assertEquals(id, client.get("conformance", key).resolve());
    assertEquals(id, client.getOrCreate("conformance", key).resolve());
    assertEquals(id, client.getOrCreate("conformance", key, "ignored: it exists").resolve());
    assertEquals(id, client.getForId("conformance", id).resolve());
    assertEquals(id, client.get(Conformance.class, key).getActorId());
    assertEquals(input, client.getOrCreate(Conformance.class, key, "ignored").getInput());
    assertEquals(key.parts(), client.getForId(Conformance.class, id).getKey());
    assertEquals(input, client.getForId("conformance", id).action("getInput", Map.class));

    ActorError duplicate = assertThrows(ActorError.class,
        () -> client.create("conformance", key, 1));
    if (duplicate.qualifiedCode().equals("actor.destroyed_during_creation")) {
      // RivetKit's engine answers so about one time in five (a race in its creation workflow).
      assertEquals("Actor was destroyed during creation.", duplicate.getMessage());
      assertTrue(duplicate.metadata().isEmpty());
    } else {
      assertEquals("actor.duplicate_key", duplicate.qualifiedCode());
      assertEquals("Actor key '" + key.serialize() + "' already in use for actor '" + id + "'",
          duplicate.getMessage());
      assertEquals(Map.of("existing_actor_id", id, "key", key.serialize()),
          duplicate.metadata().orElseThrow());
    }
    assertEquals(id, client.get("conformance", key).resolve(), "the first actor is unharmed");

    Key missing = Key.of("missing-" + RUN, e.wireName(), "a/b\\c");
    ActorError notFound = assertThrows(ActorError.class,
        () -> client.get("conformance", missing).resolve());
    assertEquals("actor.not_found", notFound.qualifiedCode());
    assertEquals("Actor not found: conformance:[\"missing-" + RUN + "\",\"" + e.wireName()
        + "\",\"a/b\\\\c\"] (https://www.rivet.dev/docs/clients/javascript)",
        notFound.getMessage());

    assertEquals(endpoint() + "/gateway/" + id, client.getForId("conformance", id).gatewayUrl());
    assertEquals(endpoint() + "/gateway/conformance?rvt-namespace=default&rvt-method=get"
        + "&rvt-key=missing-" + RUN + "%2C" + e.wireName() + "%2Ca%2Fb%5Cc",
        client.get("conformance", missing).gatewayUrl());
  }

  @ParameterizedTest
  @EnumSource(Encoding.class)
  void getOrCreateUsesItsInputOnlyWhenItCreates(Encoding e) {
    RivetClient client = client(e);
    // through the gateway (the first action creates the actor) ...
    Key viaGateway = key("input-gateway", e);
    assertEquals(42L, client.getOrCreate(Conformance.class, viaGateway, 42).getInput());
    assertEquals(42L, client.getOrCreate(Conformance.class, viaGateway, 7).getInput());
    // ... and through the REST API (resolve creates it)
    Key viaRest = key("input-rest", e);
    String id = client.getOrCreate("conformance", viaRest, List.of("x", 1)).resolve();
    assertEquals(List.of("x", 1L), client.getForId(Conformance.class, id).getInput());
    assertEquals(id, client.getOrCreate("conformance", viaRest, "other").resolve());
    // absent input is null
    assertNull(client.getOrCreate(Conformance.class, key("no-input", e)).getInput());
  }

  @ParameterizedTest
  @EnumSource(Encoding.class)
  void keysAreOrderedPartsAndNamesAreSeparate(Encoding e) {
    RivetClient client = client(e);
    String k = "keys-" + RUN + "-" + e.wireName();
    String a = create(client, "conformance", Key.of(k, "1", "2"));
    String b = create(client, "conformance", Key.of(k, "2", "1"));
    assertNotEquals(a, b);
    create(client, "counter", Key.of(k, "1", "2"));
    assertEquals(7, client.getOrCreate(Counter.class, Key.of(k, "1", "2")).increment(7));
    assertEquals(0, client.getForId(Conformance.class, a).getCount());
    assertEquals(List.of(k, "1", "2"), client.getForId(Conformance.class, a).getKey());
    assertEquals(List.of("", ""), client.getOrCreate(Conformance.class, Key.of("", "")).getKey());
    assertEquals(List.of(), client.getOrCreate(Conformance.class, Key.of()).getKey());
  }

  // ------------------------------------------------------------------ actions (§2, §4.2)

  @ParameterizedTest
  @EnumSource(Encoding.class)
  void typedAndUntypedActions(Encoding e) throws Exception {
    RivetClient client = client(e);
    Key key = key("actions", e);
    create(client, "counter", key);
    Counter counter = client.getOrCreate(Counter.class, key);
    assertEquals(5, counter.increment(5));
    assertEquals(3, counter.increment(-2));
    assertEquals(3, counter.getCount());
    RemoteActorHandle handle = client.getOrCreate("counter", key);
    assertEquals(5L, handle.action("increment", Long.class, 2));
    assertEquals(5, handle.action("getCount", long.class));
    assertEquals(6, Await.done(handle.actionAsync("increment", Integer.class, 1)));

    String id = create(client, "conformance", key);
    Conformance actor = client.getForId(Conformance.class, id);
    assertEquals(6, actor.incrementTwice(3));
    Conformance.Async async = client.getOrCreate("conformance", key).as(Conformance.Async.class);
    assertEquals(16L, Await.done(async.increment(10)));
    ActorError asyncError = assertInstanceOf(ActorError.class,
        Await.failure(async.throwUserError("async_code", "async message", null)));
    assertEquals("user.async_code", asyncError.qualifiedCode());
    // increment ignores a non-number and adds 1, as the reference does
    assertEquals(17L, client.getForId("conformance", id).action("increment", Long.class, "x"));

    ActorError missing = assertThrows(ActorError.class,
        () -> handle.action("nope", Object.class));
    assertEquals("actor.action_not_found", missing.qualifiedCode());
    assertEquals("Action `nope` was not found.", missing.getMessage());
    assertTrue(missing.metadata().isEmpty());
    assertThrows(IllegalArgumentException.class, () -> handle.as(Conformance.class),
        "the conformance contract is not the counter's");
  }

  // ------------------------------------------------------------------ values (§7)

  /** Values every encoding carries unchanged, as pairs (sent, echoed). */
  private static List<Object[]> plainValues() {
    Map<String, Object> object = new LinkedHashMap<>();
    object.put("key with spaces", List.of());
    object.put("ünï 😀", Map.of());
    object.put("null", null);
    object.put("deep", List.of(List.of(Map.of("x", List.of(true, false)))));
    List<Object> big = new ArrayList<>();
    for (long i = 0; i < 3000; i++) {
      big.add(i % 3 == 0 ? "s" + i : i);
    }
    List<Object[]> values = new ArrayList<>();
    for (Object v : Arrays.asList(null, true, false, 0L, 42L, -7L, 4294967295L, -4294967295L,
        3.14159, -0.5, 1e-7, 1.5e300, 2.5, "", "héllo 漢字 🎉", "\u0000\u0001\t\n\"\\ ctl",
        "x".repeat(50_000), List.of(), Map.of(), object, big, List.of("$foo", 1L),
        Map.of("a", List.of("$$bar", "x")), new byte[] {0, 1, 2, -2, -1}, new byte[0],
        Map.of("data", new byte[] {9, 8, 7}))) {
      values.add(new Object[] {v, v});
    }
    values.add(new Object[] {2.0, 2L}); // an integral double is a JavaScript integer
    return values;
  }

  @ParameterizedTest
  @EnumSource(Encoding.class)
  void valuesRoundTripOverHttpAndConnections(Encoding e) throws Exception {
    RivetClient client = client(e);
    Key key = key("values", e);
    String id = create(client, "conformance", key);
    Conformance.Async stateless = client.getForId("conformance", id).as(Conformance.Async.class);
    try (ActorConnection<Conformance.Async> conn = client.getForId("conformance", id)
        .connect(Conformance.Async.class)) {
      List<Object[]> values = plainValues();
      List<CompletionStage<Object>> viaHttp = new ArrayList<>();
      List<CompletionStage<Object>> viaConn = new ArrayList<>();
      for (Object[] v : values) {
        viaHttp.add(stateless.echo(v[0]));
        viaConn.add(conn.actions().echo(v[0]));
      }
      for (int i = 0; i < values.size(); i++) {
        Object expected = values.get(i)[1];
        assertEcho(expected, Await.done(viaHttp.get(i)), "http #" + i);
        assertEcho(expected, Await.done(viaConn.get(i)), "connection #" + i);
      }
      // Integers of 2^32 and more keep their exact value: RivetKit answers them as bigints in
      // json (BigInteger), the Java server as plain numbers (Long); spec §7 allows both.
      for (long n : new long[] {1L << 32, -(1L << 32), (1L << 40) + 1, (1L << 53) - 1,
          -((1L << 53) - 1)}) {
        assertEquals(BigInteger.valueOf(n), exactInteger(Await.done(stateless.echo(n))));
        assertEquals(BigInteger.valueOf(n), exactInteger(Await.done(conn.actions().echo(n))));
        assertEquals(n, client.getForId("conformance", id).action("echo", Long.class, n));
      }
    }
    // Records travel as objects.
    Probe.Sample sample = new Probe.Sample("tëxt ✓", Long.MIN_VALUE, -0.1, new byte[] {0, -1},
        List.of(new Probe.Inner("a", 1), new Probe.Inner("ü", -2)), Map.of("k", List.of(1L)),
        new Probe.Inner("nested", Integer.MIN_VALUE), null);
    Probe.Sample back = client.getForId("conformance", id).action("echo", Probe.Sample.class,
        sample);
    assertEquals(sample.text(), back.text());
    assertEquals(Long.MIN_VALUE, back.big());
    assertEquals(-0.1, back.ratio());
    assertArrayEquals(sample.bytes(), back.bytes());
    assertEquals(sample.items(), back.items());
    assertEquals(sample.extra(), back.extra());
    assertEquals(sample.nested(), back.nested());
    assertNull(back.absent());
  }

  @ParameterizedTest
  @EnumSource(value = Encoding.class, names = {"JSON", "BARE"})
  void bigIntegersRoundTripInJsonAndBare(Encoding e) throws Exception {
    RivetClient client = client(e);
    String id = create(client, "conformance", key("bigint", e));
    BigInteger huge = BigInteger.TWO.pow(70).add(BigInteger.valueOf(123));
    Conformance actor = client.getForId(Conformance.class, id);
    assertEquals(huge, actor.echo(huge));
    assertEquals(List.of(huge.negate(), BigInteger.valueOf(Long.MAX_VALUE)),
        actor.echo(List.of(huge.negate(), Long.MAX_VALUE)));
    try (ActorConnection<Conformance> conn = client.getForId("conformance", id)
        .connect(Conformance.class)) {
      assertEquals(huge, conn.actions().echo(huge));
    }
  }

  private static void assertEcho(Object expected, Object actual, String what) {
    if (expected instanceof byte[] bytes) {
      assertArrayEquals(bytes, assertInstanceOf(byte[].class, actual, what), what);
    } else if (expected instanceof Map<?, ?> m && m.get("data") instanceof byte[] bytes) {
      Map<?, ?> back = assertInstanceOf(Map.class, actual, what);
      assertEquals(m.keySet(), back.keySet(), what);
      assertArrayEquals(bytes, assertInstanceOf(byte[].class, back.get("data"), what), what);
    } else {
      assertEquals(expected, actual, what);
    }
  }

  /** An integer result as a {@code BigInteger}; fails for anything but Long and BigInteger. */
  private static BigInteger exactInteger(Object value) {
    return switch (value) {
      case Long l -> BigInteger.valueOf(l);
      case BigInteger b -> b;
      default -> throw new AssertionError("not an exact integer: " + value + " ("
          + (value == null ? "null" : value.getClass().getSimpleName()) + ")");
    };
  }

  // ------------------------------------------------------------------ errors (§1.2, §8)

  @ParameterizedTest
  @EnumSource(Encoding.class)
  void userErrorsCarryCodeMessageMetadataAndActor(Encoding e) throws Exception {
    RivetClient client = client(e);
    Key key = key("user-error", e);
    String id = create(client, "conformance", key);
    Conformance actor = client.getOrCreate(Conformance.class, key);
    Map<String, Object> metadata = Map.of("limit", 10L, "nested", List.of("ü"));

    ActorError http = assertThrows(ActorError.class,
        () -> actor.throwUserError("quota_exceeded", "Too many requests", metadata));
    assertEquals("user.quota_exceeded", http.qualifiedCode());
    assertEquals("Too many requests", http.getMessage());
    assertEquals(metadata, http.metadata().orElseThrow());
    assertActor(id, key, http);
    assertTrue(http.rayId().isPresent(), "x-rivet-ray-id");
    ActorError plain = assertThrows(ActorError.class, () -> actor.throwUserError("c2", "m2"));
    assertEquals("user.c2", plain.qualifiedCode());
    assertEquals("m2", plain.getMessage());
    assertEquals(Optional.empty(), plain.metadata());
    assertActor(id, key, plain);

    try (ActorConnection<Conformance> conn = client.connect(Conformance.class, key)) {
      ActorError ws = assertThrows(ActorError.class,
          () -> conn.actions().throwUserError("quota_exceeded", "Too many requests", metadata));
      assertEquals("user.quota_exceeded", ws.qualifiedCode());
      assertEquals("Too many requests", ws.getMessage());
      assertEquals(metadata, ws.metadata().orElseThrow());
      assertActor(id, key, ws);
      ActorError wsPlain = assertThrows(ActorError.class,
          () -> conn.actions().throwUserError("c2", "m2"));
      assertEquals("user.c2", wsPlain.qualifiedCode());
      assertEquals("m2", wsPlain.getMessage());
      assertEquals(Optional.empty(), wsPlain.metadata());
      ActorError wsMissing = assertThrows(ActorError.class,
          () -> conn.action("nope", Object.class));
      assertEquals("actor.action_not_found", wsMissing.qualifiedCode());
      assertEquals("Action `nope` was not found.", wsMissing.getMessage());
      assertEquals(1, conn.actions().increment(1), "the connection survives action errors");
      assertEquals(ConnectionStatus.CONNECTED, conn.status());
    }
  }

  @ParameterizedTest
  @EnumSource(Encoding.class)
  void internalErrorsAreMasked(Encoding e) {
    RivetClient client = client(e);
    Key key = key("internal", e);
    String id = create(client, "conformance", key);
    ActorError http = assertThrows(ActorError.class,
        () -> client.getOrCreate(Conformance.class, key).throwInternal());
    assertEquals("rivetkit.internal_error", http.qualifiedCode());
    assertEquals("An internal error occurred", http.getMessage());
    assertTrue(http.metadata().isEmpty());
    assertActor(id, key, http);
    try (ActorConnection<ActorHandle> conn = client.connect("conformance", key)) {
      ActorError ws = assertThrows(ActorError.class,
          () -> conn.action("throwInternal", Object.class));
      assertEquals("rivetkit.internal_error", ws.qualifiedCode());
      assertEquals("An internal error occurred", ws.getMessage());
      assertTrue(ws.metadata().isEmpty());
      assertActor(id, key, ws);
      assertEquals(0L, conn.action("getCount", Long.class));
    }
  }

  // ------------------------------------------------------------------ params (§4.1)

  @ParameterizedTest
  @EnumSource(Encoding.class)
  void connectionParamsBecomeConnectionState(Encoding e) throws Exception {
    RivetClient client = client(e);
    Key key = key("params", e);
    String id = create(client, "conformance", key);
    RemoteActorHandle handle = client.getOrCreate("conformance", key);
    assertEquals(Map.of("name", "anonymous"), handle.as(Conformance.class).whoAmI());
    assertEquals(Map.of("name", "carol"),
        handle.withParams(Map.of("name", "carol")).as(Conformance.class).whoAmI());
    assertEquals(Map.of("name", "ü ✓ 漢😀"), handle.withParams(Map.of("name", "ü ✓ 漢😀", "n", 2L))
        .as(Conformance.class).whoAmI(), "JSON in the x-rivet-conn-params header");
    assertEquals(Map.of("name", "anonymous"),
        client.getForId(Conformance.class, id).whoAmI());
    try (ActorConnection<Conformance> bob = client.connect(Conformance.class, key,
             Map.of("name", "bob"));
         ActorConnection<Conformance> unicode = client.connect(Conformance.class, key,
             Map.of("name", "ü😀", "extra", List.of(1L)));
         ActorConnection<ActorHandle> anonymous = handle.connect()) {
      assertEquals(Map.of("name", "bob"), bob.actions().whoAmI());
      assertEquals(Map.of("name", "ü😀"), unicode.actions().whoAmI());
      assertEquals(Map.of("name", "anonymous"), anonymous.action("whoAmI", Map.class));
    }
  }

  @ParameterizedTest
  @EnumSource(Encoding.class)
  void onBeforeConnectRejectsStatelessCallsAndConnections(Encoding e) throws Exception {
    RivetClient client = client(e);
    Key key = key("reject", e);
    String id = create(client, "conformance", key);
    RemoteActorHandle bad = client.getOrCreate("conformance", key)
        .withParams(Map.of("token", "bad"));
    ActorError http = assertThrows(ActorError.class, () -> bad.as(Conformance.class).getCount());
    assertEquals("user.forbidden", http.qualifiedCode());
    assertEquals("connection rejected", http.getMessage());
    assertTrue(http.metadata().isEmpty());
    assertActor(id, key, http);
    assertEquals(0, client.getOrCreate("conformance", key).withParams(Map.of("token", "good"))
        .as(Conformance.class).getCount());

    try (ActorConnection<Conformance> conn = bad.connect(Conformance.class)) {
      BlockingQueue<ActorError> errors = new LinkedBlockingQueue<>();
      conn.onError(errors::add);
      CompletionStage<Long> queued = conn.actionAsync("getCount", Long.class);
      ActorError refusal = assertInstanceOf(ActorError.class, Await.failure(conn.ready()));
      assertEquals("user.forbidden", refusal.qualifiedCode());
      assertEquals("connection rejected", refusal.getMessage());
      assertTrue(refusal.metadata().isEmpty());
      ActorError queuedError = assertInstanceOf(ActorError.class, Await.failure(queued));
      assertEquals("user.forbidden", queuedError.qualifiedCode());
      assertEquals("user.forbidden", Await.take(errors).qualifiedCode());
      assertEquals(ConnectionStatus.IDLE, conn.status());
      assertEquals("user.forbidden", assertThrows(ActorError.class,
          () -> conn.actions().getCount()).qualifiedCode());
    }
  }

  // ------------------------------------------------------------------ events (§2, §4.2, §6.2)

  @ParameterizedTest
  @EnumSource(Encoding.class)
  void eventsOnOnceAndUnsubscribe(Encoding e) throws Exception {
    RivetClient client = client(e);
    Key key = key("events", e);
    create(client, "counter", key);
    try (ActorConnection<Counter> conn = client.connect(Counter.class, key)) {
      List<Long> all = new CopyOnWriteArrayList<>();
      List<Long> first = new CopyOnWriteArrayList<>();
      BlockingQueue<List<Object>> raw = new LinkedBlockingQueue<>();
      Subscription sub = conn.on(Counter.NEW_COUNT, all::add);
      conn.once(Counter.NEW_COUNT, first::add);
      conn.on("newCount", raw::add);
      assertEquals(1, conn.actions().increment(1)); // its event arrives before its result
      assertEquals(List.of(1L), all);
      assertEquals(List.of(1L), first);
      assertEquals(List.of(1L), raw.poll());
      assertEquals(3, conn.actions().increment(2));
      assertEquals(List.of(1L, 3L), all);
      assertEquals(List.of(1L), first, "once fires once");
      sub.close();
      sub.close();
      assertEquals(6, conn.actions().increment(3));
      assertEquals(List.of(1L, 3L), all, "unsubscribed");
      assertEquals(List.of(3L), raw.poll());
      assertEquals(List.of(6L), raw.poll());
      // a stateless call broadcasts to the connection too
      assertEquals(4, client.getOrCreate(Counter.class, key).increment(-2));
      assertEquals(List.of(4L), Await.take(raw));
    }
  }

  @ParameterizedTest
  @EnumSource(Encoding.class)
  void broadcastsReachSubscribersAndEmitToCallerOnlyTheCaller(Encoding e) throws Exception {
    RivetClient client = client(e);
    Key key = key("broadcast", e);
    String id = create(client, "conformance", key);
    Conformance stateless = client.getForId(Conformance.class, id);
    try (ActorConnection<Conformance> a = client.connect(Conformance.class, key);
         ActorConnection<Conformance> b = client.connect(Conformance.class, key)) {
      BlockingQueue<List<Object>> notesA = new LinkedBlockingQueue<>();
      BlockingQueue<List<Object>> notesB = new LinkedBlockingQueue<>();
      BlockingQueue<List<Object>> privateA = new LinkedBlockingQueue<>();
      BlockingQueue<List<Object>> privateB = new LinkedBlockingQueue<>();
      BlockingQueue<List<Object>> markersB = new LinkedBlockingQueue<>();
      a.on("note", notesA::add);
      b.on("note", notesB::add);
      a.on("private", privateA::add);
      b.on("private", privateB::add);
      b.on("marker", markersB::add);
      // A reply on the same socket means the server has handled the subscriptions before it.
      assertEquals(0, a.actions().getCount());
      assertEquals(0, b.actions().getCount());

      Map<String, Object> payload = Map.of("x", 1L, "s", "ü😀", "list", List.of(1L, 2L));
      assertNull(stateless.emit("note", payload));
      assertEquals(List.of(payload), Await.take(notesA));
      assertEquals(List.of(payload), Await.take(notesB));

      assertNull(a.actions().emitToCaller("private", List.of(1L, "two")));
      assertEquals(List.of(List.of(1L, "two")), Await.take(privateA));
      assertNull(stateless.emitToCaller("private", 3L), "no connection to send to: no-op");
      // Events to b arrive in order: once the marker is there, no private event was sent to b.
      assertNull(a.actions().emit("marker", "m"));
      assertEquals(List.of("m"), Await.take(markersB));
      assertEquals(List.of(), List.copyOf(privateB));
      assertEquals(List.of(), List.copyOf(privateA));

      Await.done(a.dispose());
      assertEquals(ConnectionStatus.IDLE, a.status());
      assertEquals("client.connection_disposed", assertThrows(ActorError.class,
          () -> a.actions().getCount()).qualifiedCode());
    }
  }

  @ParameterizedTest
  @EnumSource(Encoding.class)
  void manyConnectionsHaveTheirOwnIdsAndAllHearBroadcasts(Encoding e) throws Exception {
    RivetClient client = client(e);
    Key key = key("many", e);
    create(client, "conformance", key);
    int n = 8;
    List<ActorConnection<Conformance>> conns = new ArrayList<>();
    BlockingQueue<String> heard = new LinkedBlockingQueue<>();
    for (int i = 0; i < n; i++) {
      ActorConnection<Conformance> c = client.connect(Conformance.class, key);
      int index = i;
      c.on("ping", args -> heard.add(index + ":" + args));
      conns.add(c);
    }
    for (ActorConnection<Conformance> c : conns) {
      assertEquals(0, c.actions().getCount()); // subscribed, see above
    }
    Set<String> ids = new HashSet<>();
    conns.forEach(c -> ids.add(c.connectionId().orElseThrow()));
    assertEquals(n, ids.size(), "every connection has its own id");
    String actorId = conns.get(0).actorId().orElseThrow();
    conns.forEach(c -> assertEquals(actorId, c.actorId().orElseThrow()));
    assertEquals(n + 1, client.getOrCreate(Conformance.class, key).connCount(),
        "a stateless call's own connection counts");
    assertEquals(n, conns.get(3).actions().connCount());

    assertNull(conns.get(5).actions().emit("ping", 9L));
    Set<String> got = new HashSet<>();
    Set<String> expected = new HashSet<>();
    for (int i = 0; i < n; i++) {
      got.add(Await.take(heard));
      expected.add(i + ":[9]");
    }
    assertEquals(expected, got);

    List<CompletionStage<Long>> calls = new ArrayList<>();
    Conformance.Async stateless = client.getForId("conformance", actorId)
        .as(Conformance.Async.class);
    for (ActorConnection<Conformance> c : conns) {
      calls.add(c.actionAsync("increment", Long.class, 1));
      calls.add(stateless.increment(1));
    }
    Set<Long> results = new HashSet<>();
    for (CompletionStage<Long> call : calls) {
      results.add(Await.done(call));
    }
    Set<Long> all = new HashSet<>();
    for (long i = 1; i <= 2L * n; i++) {
      all.add(i);
    }
    assertEquals(all, results, "each increment saw its own count");
    assertEquals(2L * n, client.getOrCreate(Conformance.class, key).getCount());
  }

  // ------------------------------------------------------------------ reconnection (§1.5, §6.2)

  @ParameterizedTest
  @EnumSource(Encoding.class)
  void oversizedMessagesFailAndTheConnectionComesBack(Encoding e) throws Exception {
    RivetClient client = client(e);
    Key key = key("oversized", e);
    String id = create(client, "conformance", key);
    String big = "b".repeat(70_000);
    ActorError http = assertThrows(ActorError.class,
        () -> client.getForId(Conformance.class, id).echo(big));
    assertEquals("message.incoming_too_long", http.qualifiedCode());
    assertEquals("Incoming message too long", http.getMessage());
    String nearLimit = "a".repeat(60_000);
    assertEquals(nearLimit, client.getForId(Conformance.class, id).echo(nearLimit));

    AtomicInteger connects = new AtomicInteger();
    try (ActorConnection<Conformance> conn = client.getForId("conformance", id)
        .withParamsSupplier(() -> Map.of("name", "connect " + connects.incrementAndGet()))
        .connect(Conformance.class)) {
      BlockingQueue<String> opened = new LinkedBlockingQueue<>();
      BlockingQueue<List<Object>> events = new LinkedBlockingQueue<>();
      conn.on("still", events::add);
      conn.onOpen(() -> opened.add("open"));
      assertEquals(Map.of("name", "connect 1"), conn.actions().whoAmI());
      assertEquals("open", Await.take(opened));
      assertEquals(2, conn.actions().increment(2));
      String firstConnection = conn.connectionId().orElseThrow();

      ActorError tooLong = assertThrows(ActorError.class, () -> conn.actions().echo(big));
      assertEquals("message.incoming_too_long", tooLong.qualifiedCode());
      assertEquals("Connection closed: message.incoming_too_long", tooLong.getMessage());
      assertEquals("open", Await.take(opened), "reconnected by itself");
      assertNotEquals(firstConnection, conn.connectionId().orElseThrow());
      assertEquals(Map.of("name", "connect 2"), conn.actions().whoAmI(), "fresh params");
      assertEquals(2, conn.actions().getCount(), "state is intact");
      assertNull(client.getForId(Conformance.class, id).emit("still", "here"));
      assertEquals(List.of("here"), Await.take(events), "subscriptions were sent again");
    }
  }

  // ------------------------------------------------------------------ concurrency (§1.4)

  @ParameterizedTest
  @EnumSource(Encoding.class)
  void aSlowActionDoesNotHoldUpOthersOnTheSameConnection(Encoding e) throws Exception {
    RivetClient client = client(e);
    Key key = key("slow", e);
    String id = create(client, "conformance", key);
    ActorConnection<Conformance.Async> conn = client.getForId("conformance", id)
        .connect(Conformance.Async.class);
    CompletableFuture<Object> slow = conn.actions().slowEcho(60_000, "slow")
        .toCompletableFuture();
    assertEquals("fast", Await.done(conn.actions().echo("fast")));
    assertEquals(1L, Await.done(conn.actions().increment(1)));
    assertEquals(2, client.getForId(Conformance.class, id).increment(1));
    assertFalse(slow.isDone(), "the slow action is still running");
    Await.done(conn.dispose());
    assertEquals("client.connection_disposed",
        assertInstanceOf(ActorError.class, Await.failure(slow)).qualifiedCode());
  }

  // ------------------------------------------------------------------ sleep, destroy (§6.4, §6.5)

  @ParameterizedTest
  @EnumSource(Encoding.class)
  void sleepKeepsStateAndConnectionsAndRenewsVars(Encoding e) throws Exception {
    RivetClient client = client(e);
    Key key = key("sleep", e);
    String id = client.create("conformance", key, Map.of("keep", "me")).resolve();
    Conformance actor = client.getForId(Conformance.class, id);
    assertEquals(4, actor.increment(4));
    try (ActorConnection<Conformance> conn = client.connect(Conformance.class, key)) {
      BlockingQueue<List<Object>> events = new LinkedBlockingQueue<>();
      conn.on("after", events::add);
      String nonce = conn.actions().getVarsNonce();
      assertEquals(24, nonce.length(), nonce);
      assertEquals(nonce, actor.getVarsNonce());
      String connection = conn.connectionId().orElseThrow();
      assertNull(actor.goToSleep());
      String woken = Await.poll(actor::getVarsNonce, n -> !n.equals(nonce));
      assertEquals(24, woken.length(), woken);
      assertEquals(2, actor.getWakes());
      assertEquals(4, actor.getCount());
      assertEquals(Map.of("keep", "me"), actor.getInput());
      assertEquals(key.parts(), actor.getKey());
      assertEquals(id, actor.getActorId());
      assertEquals(woken, conn.actions().getVarsNonce(), "the connection reaches the new start");
      assertEquals(connection, conn.connectionId().orElseThrow());
      ActorSpecifier awake = new ActorSpecifier(id,
          expected(Divergence.GENERATION_AFTER_WAKE, 2L, 1L), key.serialize());
      assertEquals(awake, assertThrows(ActorError.class, () -> actor.throwUserError("c", "m"))
          .actor().orElseThrow());
      assertEquals(awake, assertThrows(ActorError.class,
          () -> conn.actions().throwUserError("c", "m")).actor().orElseThrow());
      assertEquals(ConnectionStatus.CONNECTED, conn.status());
      assertNull(actor.emit("after", "woke"));
      assertEquals(List.of("woke"), Await.take(events));
    }
  }

  @ParameterizedTest
  @EnumSource(Encoding.class)
  void destroyDeletesTheActorAndFreesItsKey(Encoding e) throws Exception {
    RivetClient client = client(e);
    Key key = key("destroy", e);
    String id = client.create("conformance", key, "first").resolve();
    RemoteActorHandle dynamic = client.getOrCreate("conformance", key, "second");
    assertEquals(3, dynamic.as(Conformance.class).increment(3));
    ActorConnection<Conformance> conn = client.getForId("conformance", id)
        .connect(Conformance.class);
    BlockingQueue<ActorError> connErrors = new LinkedBlockingQueue<>();
    List<ConnectionStatus> statuses = new CopyOnWriteArrayList<>();
    BlockingQueue<ConnectionStatus> statusSignal = new LinkedBlockingQueue<>();
    conn.onError(connErrors::add);
    assertEquals(3, conn.actions().getCount());
    conn.onStatusChange(status -> {
      statuses.add(status);
      statusSignal.add(status);
    });

    assertNull(client.getForId(Conformance.class, id).destroySelf());
    // The socket closes; the reconnect attempt finds the actor gone (RivetKit answers either code,
    // depending on whether the destruction has finished) and the connection gives up.
    ActorError closed = Await.take(connErrors);
    String code = closed.qualifiedCode();
    assertTrue(Set.of("actor.destroyed_while_waiting_for_ready", "actor.not_found")
        .contains(code), closed.toString());
    assertTrue(closed.getMessage().startsWith("Connection closed: " + code + "#"),
        closed.getMessage());
    Await.until(statusSignal, () -> conn.status() == ConnectionStatus.IDLE);
    assertEquals(List.of(ConnectionStatus.DISCONNECTED, ConnectionStatus.CONNECTING,
        ConnectionStatus.IDLE), List.copyOf(statuses));
    assertEquals(code, assertThrows(ActorError.class, () -> conn.actions().getCount())
        .qualifiedCode());
    ActorError byId = assertThrows(ActorError.class,
        () -> client.getForId(Conformance.class, id).getCount());
    assertEquals("actor.not_found", byId.qualifiedCode());
    assertEquals("The actor does not exist or was destroyed.", byId.getMessage());
    assertEquals("actor.not_found", assertThrows(ActorError.class,
        () -> client.get("conformance", key).resolve()).qualifiedCode());
    ActorError byKey = assertThrows(ActorError.class,
        () -> client.get(Conformance.class, key).getCount()); // after the client's retries
    assertEquals("actor.not_found", byKey.qualifiedCode());
    assertEquals("The actor does not exist or was destroyed.", byKey.getMessage());

    Conformance fresh = dynamic.as(Conformance.class); // follows the key to a new actor
    String id2 = fresh.getActorId();
    assertNotEquals(id, id2);
    assertEquals(0, fresh.getCount());
    assertEquals(1, fresh.getWakes());
    assertEquals("second", fresh.getInput());
    assertEquals(id2, client.get("conformance", key).resolve());
  }

  // ------------------------------------------------------------------ chatRoom (§3)

  @ParameterizedTest
  @EnumSource(Encoding.class)
  void chatRoomStoresBroadcastsAndValidates(Encoding e) throws Exception {
    RivetClient client = client(e);
    Key key = key("chat", e);
    create(client, "chatRoom", key);
    ChatRoom room = client.getOrCreate(ChatRoom.class, key);
    assertEquals(List.of(), room.getHistory());
    try (ActorConnection<ChatRoom> conn = client.connect(ChatRoom.class, key)) {
      BlockingQueue<ChatRoom.Message> heard = new LinkedBlockingQueue<>();
      conn.on(ChatRoom.NEW_MESSAGE, heard::add);
      assertEquals(List.of(), conn.actions().getHistory());
      long before = System.currentTimeMillis();
      ChatRoom.Message m = room.sendMessage("  carol ", "\t hi  \n");
      long after = System.currentTimeMillis();
      assertEquals("carol", m.sender());
      assertEquals("hi", m.text());
      assertTrue(m.timestamp() >= before && m.timestamp() <= after,
          before + " <= " + m.timestamp() + " <= " + after);
      assertEquals(m, Await.take(heard));
      String sql = "'); DROP TABLE messages; --";
      ChatRoom.Message m2 = conn.actions().sendMessage("dave", sql);
      assertEquals(sql, m2.text());
      assertEquals(m2, Await.take(heard));
      assertEquals(List.of(m, m2), room.getHistory());
      List<?> raw = client.getOrCreate("chatRoom", key).action("getHistory", List.class);
      assertEquals(List.of("sender", "text", "timestamp"),
          List.copyOf(((Map<?, ?>) raw.get(0)).keySet()));

      RemoteActorHandle untyped = client.getOrCreate("chatRoom", key);
      Object[][] invalid = {
          {new Object[] {42L, "x"}, "sender must be a string"},
          {new Object[] {"bob"}, "text must be a string"},
          {new Object[] {"bob", null}, "text must be a string"},
          {new Object[] {"   ", "x"}, "sender must be 1-64 characters"},
          {new Object[] {"bob", "t".repeat(2001)}, "text must be 1-2000 characters"},
      };
      for (Object[] c : invalid) {
        ActorError error = assertThrows(ActorError.class,
            () -> untyped.action("sendMessage", Object.class, (Object[]) c[0]));
        assertEquals("user.invalid_message", error.qualifiedCode());
        assertEquals(c[1], error.getMessage());
        assertTrue(error.metadata().isEmpty());
      }
      ActorError overWs = assertThrows(ActorError.class,
          () -> conn.actions().sendMessage("", "x"));
      assertEquals("user.invalid_message", overWs.qualifiedCode());
      assertEquals("sender must be 1-64 characters", overWs.getMessage());
      assertEquals(List.of(m, m2), room.getHistory(), "nothing stored");
    }
  }

  // -------------------------------------------------------------- raw HTTP, WebSocket (§4.3, §4.4)

  @ParameterizedTest
  @EnumSource(Encoding.class)
  void rawRequestsReachOnRequest(Encoding e) throws Exception {
    RivetClient client = client(e);
    Key key = Key.of("raw-" + RUN + "-" + e.wireName(), "second");
    String id = create(client, "conformance", key);
    RemoteActorHandle handle = client.getOrCreate("conformance", key);
    HttpResponse<byte[]> hello = handle.fetch("/hello?ignored=1");
    assertEquals(200, hello.statusCode());
    assertEquals("hello raw-" + RUN + "-" + e.wireName() + ",second",
        new String(hello.body(), StandardCharsets.UTF_8));
    assertEquals("text/plain; charset=utf-8",
        hello.headers().firstValue("content-type").orElseThrow());

    byte[] body = new byte[300_000];
    for (int i = 0; i < body.length; i++) {
      body[i] = (byte) (i * 31);
    }
    HttpResponse<byte[]> echo = client.getForId("conformance", id).fetch("echo",
        HttpRequest.newBuilder().POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .header("content-type", "application/x-test"));
    assertEquals(200, echo.statusCode());
    assertArrayEquals(body, echo.body());
    assertEquals("application/x-test", echo.headers().firstValue("content-type").orElseThrow());
    HttpResponse<byte[]> untyped = handle.fetch("/echo", HttpRequest.newBuilder()
        .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[] {1, 2, 3})));
    assertArrayEquals(new byte[] {1, 2, 3}, untyped.body());
    assertEquals("application/octet-stream",
        untyped.headers().firstValue("content-type").orElseThrow());

    for (HttpResponse<byte[]> notFound : List.of(handle.fetch("/nope"), handle.fetch("/echo"),
        handle.fetch("/hello", HttpRequest.newBuilder().POST(
            HttpRequest.BodyPublishers.noBody())))) {
      assertEquals(404, notFound.statusCode());
      assertEquals("not found", new String(notFound.body(), StandardCharsets.UTF_8));
      assertEquals("text/plain; charset=utf-8",
          notFound.headers().firstValue("content-type").orElseThrow());
      assertEquals(Optional.empty(), ActorError.fromResponse(notFound));
    }

    HttpResponse<byte[]> rejected = handle.withParams(Map.of("token", "bad")).fetch("/hello");
    assertEquals(500, rejected.statusCode());
    assertEquals("application/json", rejected.headers().firstValue("content-type").orElseThrow());
    ActorError error = ActorError.fromResponse(rejected).orElseThrow();
    assertEquals("user.forbidden", error.qualifiedCode());
    assertEquals("connection rejected", error.getMessage());
    assertEquals(id, error.actor().orElseThrow().actorId());
  }

  @ParameterizedTest
  @EnumSource(Encoding.class)
  void rawWebSocketsReachOnWebSocket(Encoding e) throws Exception {
    RivetClient client = client(e);
    Key key = key("raw-ws", e);
    String id = create(client, "conformance", key);
    RawFrames frames = new RawFrames();
    WebSocket ws = Await.done(client.getOrCreate("conformance", key)
        .webSocket("/any/path?x=1", frames));
    assertEquals("welcome", Await.take(frames.received));
    String large = "ü😀".repeat(20_000);
    byte[] bytes = new byte[100_000];
    for (int i = 0; i < bytes.length; i++) {
      bytes[i] = (byte) i;
    }
    Await.done(ws.sendText("ping ✓", true));
    Await.done(ws.sendText("", true));
    Await.done(ws.sendBinary(ByteBuffer.wrap(bytes), true));
    Await.done(ws.sendText(large, true));
    assertEquals("ping ✓", Await.take(frames.received));
    assertEquals("", Await.take(frames.received));
    assertArrayEquals(bytes, (byte[]) Await.take(frames.received));
    assertEquals(large, Await.take(frames.received));
    Await.done(ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye"));
    assertEquals("closed 1000 bye", Await.take(frames.received));
    assertEquals(0, client.getForId(Conformance.class, id).getCount(), "the actor keeps working");
  }

  @ParameterizedTest
  @EnumSource(Encoding.class)
  void rawRequestsToAnActorWithoutHandlers(Encoding e) throws Exception {
    RivetClient client = client(e);
    Key key = key("no-raw", e);
    String id = create(client, "counter", key);
    HttpResponse<byte[]> response = client.getForId("counter", id).fetch("/hello/there?x=1");
    assertEquals(404, response.statusCode());
    assertEquals(0, response.body().length);
    assertEquals(id, response.headers().firstValue("x-rivet-actor").orElseThrow());
    assertEquals(Optional.empty(), ActorError.fromResponse(response));

    RawFrames frames = new RawFrames();
    WebSocket ws = Await.done(client.getOrCreate("counter", key)
        .webSocket("chat?room=1", frames));
    ws.sendText("dropped", true);
    // An action after the socket's open hook: a server that closes such sockets has done so.
    assertEquals(0, client.getForId(Counter.class, id).getCount());
    ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye");
    assertEquals(expected(Divergence.RAW_WEBSOCKET_WITHOUT_HANDLER, "closed 1000 bye",
        "closed 1011 actor.websocket_not_supported"), Await.take(frames.received));
    assertEquals(0, client.getForId(Counter.class, id).getCount(), "the actor keeps working");
  }
}
