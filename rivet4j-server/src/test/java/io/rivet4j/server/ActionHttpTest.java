package io.rivet4j.server;

import static io.rivet4j.server.Harness.getOrCreate;
import static io.rivet4j.server.Harness.text;
import static io.rivet4j.server.Harness.utf8;
import static io.rivet4j.server.Hex.bytes;
import static io.rivet4j.server.Hex.hex;
import static io.rivet4j.server.Hex.s;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.rivet4j.protocol.Encoding;
import io.rivet4j.protocol.HttpActionRequest;
import io.rivet4j.protocol.HttpResponseError;
import io.rivet4j.protocol.ProtocolCodec;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Stateless actions over HTTP ({@code POST …/action/<name>}, client-protocol.md §4) in every
 * encoding, byte for byte against the captures of §4 and §11.
 */
class ActionHttpTest {
  static Harness h;

  @BeforeAll
  static void start() {
    h = Harness.start();
  }

  @AfterAll
  static void stop() {
    h.close();
  }

  static String path(String action, String keyQuery) {
    return "/gateway/counter/action/" + action + "?" + getOrCreate(keyQuery);
  }

  static byte[] args(Encoding e, Object... args) {
    return ProtocolCodec.of(e).encode(new HttpActionRequest(java.util.Arrays.asList(args)));
  }

  static String actorId(HttpResponse<byte[]> r) {
    return r.headers().firstValue("x-rivet-actor").orElseThrow();
  }

  static HttpResponseError error(Encoding e, HttpResponse<byte[]> r) {
    return ProtocolCodec.of(e).decodeHttpResponseError(r.body());
  }

  @Test
  void incrementInJsonMatchesCapture() {
    HttpResponse<byte[]> r = h.action(path("increment", "inc-json"), "json",
        utf8("{\"args\":[3]}"));
    assertEquals(200, r.statusCode());
    assertEquals("application/json", r.headers().firstValue("content-type").orElseThrow());
    assertEquals("{\"output\":3}", text(r));
    assertEquals("1", r.headers().firstValue("x-rivet-actor-generation").orElseThrow());
    assertEquals("inc-json", r.headers().firstValue("x-rivet-actor-key").orElseThrow());
  }

  @Test
  void incrementInCborMatchesCapture() {
    HttpResponse<byte[]> r = h.action(path("increment", "inc-cbor"), "cbor",
        bytes("b9 0001 64 61726773 81 03"));
    assertEquals(200, r.statusCode());
    assertEquals("application/octet-stream",
        r.headers().firstValue("content-type").orElseThrow());
    assertEquals("a1666f757470757403", hex(r.body()));
  }

  @Test
  void incrementInBareMatchesCapture() {
    HttpResponse<byte[]> r = h.action(path("increment", "inc-bare"), "bare",
        bytes("0400 02 8103"));
    assertEquals(200, r.statusCode());
    assertEquals("0400" + "0103", hex(r.body()));
  }

  @Test
  void bigIntArgumentsRoundTripInBare() {
    // echo("x", 5n): args ["x", ["$BigInt","5"]] as CBOR-compat (capture 11.1, Action#1)
    HttpResponse<byte[]> r = h.action(path("echo", "echo-bare"), "bare",
        bytes("0400 0e 826178826724426967496e746135"));
    assertEquals(200, r.statusCode());
    assertEquals("0400" + "0e826178826724426967496e746135", hex(r.body()));
  }

  @Test
  void getInputOnCreatedActorMatchesCapture() {
    // capture 11.3: create(["c-bare-1795390415956"], {input: 42}), then getInput over bare
    HttpResponse<byte[]> created = h.method("POST", "/actors?namespace=default", utf8(
        "{\"name\":\"counter\",\"runner_name_selector\":\"default\","
            + "\"key\":\"c-bare-1795390415956\",\"input\":\"GCo=\",\"crash_policy\":\"sleep\"}"));
    String id = RestApiTest.json(created).get("actor").get("actor_id").asText();
    HttpResponse<byte[]> r = h.action("/gateway/" + id + "/action/getInput", "bare",
        bytes("0400 01 80"));
    assertEquals(200, r.statusCode());
    assertEquals("0400" + "55" + "b9000465696e707574182a636b657981" + "74"
        + s("c-bare-1795390415956") + "66706172616d73f6676163746f724964781e" + s(id),
        hex(r.body()));
  }

  @ParameterizedTest
  @EnumSource(Encoding.class)
  void argsAndOutputsInEveryEncoding(Encoding e) {
    Map<String, Object> nested = Map.of("a", List.of(1L, 2L));
    HttpResponse<byte[]> r = h.action(path("echo", "echo-all-" + e.wireName()), e.wireName(),
        args(e, 1L, "two", null, nested, new java.math.BigInteger("1152921504606846976"),
            new byte[] {1, 2, 3}, 1.5, true));
    assertEquals(200, r.statusCode(), text(r));
    Object output = ProtocolCodec.of(e).decodeHttpActionResponse(r.body()).output();
    List<?> list = (List<?>) output;
    assertEquals(8, list.size());
    assertEquals(1L, list.get(0));
    assertEquals("two", list.get(1));
    assertEquals(null, list.get(2));
    assertEquals(nested, list.get(3));
    assertEquals(new java.math.BigInteger("1152921504606846976"), list.get(4));
    assertEquals("010203", hex((byte[]) list.get(5)));
    assertEquals(1.5, list.get(6));
    assertEquals(true, list.get(7));
  }

  @Test
  void userErrorInJsonMatchesCapture() {
    HttpResponse<byte[]> r = h.action(path("failUser", "k-json,a%2Fb"), "json",
        utf8("{\"args\":[]}"));
    assertEquals(500, r.statusCode());
    assertEquals("{\"actor\":{\"actorId\":\"" + actorId(r) + "\",\"generation\":1,\"key\":"
        + "\"k-json/a\\\\/b\"},\"code\":\"my_code\",\"group\":\"user\",\"message\":\"bad thing\","
        + "\"metadata\":{\"foo\":1}}", text(r));
  }

  @Test
  void userErrorInCborMatchesCapture() {
    HttpResponse<byte[]> r = h.action(path("failUser", "k-cbor,a%2Fb"), "cbor",
        bytes("b90001646172677380"));
    assertEquals(500, r.statusCode());
    assertEquals("a5656163746f72a3676163746f724964781e" + s(actorId(r))
        + "6a67656e65726174696f6e01636b65796b6b2d63626f722f615c2f62"
        + "64636f6465676d795f636f6465" + "6567726f75706475736572"
        + "676d65737361676569626164207468696e67" + "686d65746164617461a163666f6f01",
        hex(r.body()));
  }

  @Test
  void userErrorInBareMatchesCapture() {
    HttpResponse<byte[]> r = h.action(path("failUser", "k-bare,a%2Fb"), "bare",
        bytes("0400 01 80"));
    assertEquals(500, r.statusCode());
    assertEquals("0400" + "0475736572" + "076d795f636f6465" + "09626164207468696e67"
        + "0106a163666f6f01" + "011e" + s(actorId(r)) + "01" + "010b6b2d626172652f615c2f62",
        hex(r.body()));
  }

  @ParameterizedTest
  @EnumSource(Encoding.class)
  void internalErrorsAreMasked(Encoding e) {
    HttpResponse<byte[]> r = h.action(path("failInternal", "internal"), e.wireName(),
        args(e));
    assertEquals(500, r.statusCode());
    HttpResponseError err = error(e, r);
    assertEquals("rivetkit", err.group());
    assertEquals("internal_error", err.code());
    assertEquals("An internal error occurred", err.message());
    assertEquals(Optional.empty(), err.metadata());
    assertEquals("internal", err.actor().orElseThrow().key().orElseThrow());
    if (e == Encoding.BARE) {
      assertEquals("0400" + "08" + s("rivetkit") + "0e" + s("internal_error") + "1a"
          + s("An internal error occurred") + "00" + "011e" + s(actorId(r)) + "01" + "0108"
          + s("internal"), hex(r.body()));
    }
    HttpResponse<byte[]> unsendable = h.action(path("unsendable", "internal"), e.wireName(),
        args(e));
    assertEquals(500, unsendable.statusCode());
    assertEquals("rivetkit.internal_error", error(e, unsendable).group() + "."
        + error(e, unsendable).code());
  }

  @ParameterizedTest
  @EnumSource(Encoding.class)
  void unsendableErrorMetadataIsLeftOut(Encoding e) {
    HttpResponse<byte[]> r = h.action(path("failUnsendable", "odd"), e.wireName(), args(e));
    assertEquals(500, r.statusCode());
    assertEquals(new HttpResponseError("user", "odd", "odd metadata", Optional.empty(),
        Optional.of(new io.rivet4j.protocol.ActorSpecifier(actorId(r), 1, "odd"))), error(e, r));
  }

  @ParameterizedTest
  @EnumSource(Encoding.class)
  void unknownActionIs404(Encoding e) {
    HttpResponse<byte[]> r = h.action(path("nope", "unknown-action"), e.wireName(), args(e));
    assertEquals(404, r.statusCode());
    assertEquals("actor.action_not_found", error(e, r).group() + "." + error(e, r).code());
  }

  @Test
  void incomingTooLongMatchesCapture() {
    byte[] body = new byte[70_011];
    System.arraycopy(bytes("0400"), 0, body, 0, 2);
    HttpResponse<byte[]> r = h.action(path("echo", "limits"), "bare", body);
    assertEquals(400, r.statusCode());
    assertEquals("0400" + "07" + s("message") + "11" + s("incoming_too_long") + "19"
        + s("Incoming message too long") + "00" + "011e" + s(actorId(r)) + "01" + "0106"
        + s("limits"), hex(r.body()));
    HttpResponse<byte[]> ok = h.action(path("echo", "limits"), "json",
        utf8("{\"args\":[\"" + "z".repeat(60_000) + "\"]}"));
    assertEquals(200, ok.statusCode());
  }

  @ParameterizedTest
  @EnumSource(Encoding.class)
  void outgoingTooLong(Encoding e) {
    HttpResponse<byte[]> big = h.action(path("big", "out-" + e.wireName()), e.wireName(),
        args(e, 1_100_000L));
    assertEquals(400, big.statusCode());
    HttpResponseError err = error(e, big);
    assertEquals("message.outgoing_too_long", err.group() + "." + err.code());
    assertEquals("Outgoing message too long", err.message());
    HttpResponse<byte[]> fine = h.action(path("big", "out-" + e.wireName()), e.wireName(),
        args(e, 500_000L));
    assertEquals(200, fine.statusCode());
    assertEquals(500_000, ((String) ProtocolCodec.of(e).decodeHttpActionResponse(fine.body())
        .output()).length());
  }

  @Test
  void connParamsReachTheActor() {
    HttpResponse<byte[]> r = h.action(path("getInput", "params"), "json", utf8("{\"args\":[]}"),
        "x-rivet-conn-params", "{\"token\":\"p1\"}");
    assertEquals(200, r.statusCode());
    assertEquals("{\"output\":{\"input\":null,\"key\":[\"params\"],\"params\":{\"token\":\"p1\"},"
        + "\"actorId\":\"" + actorId(r) + "\"}}", text(r));
  }

  @ParameterizedTest
  @EnumSource(Encoding.class)
  void undecodableInputIsCoreInternalErrorAndStateSurvives(Encoding e) {
    String key = "bad-input-" + e.wireName();
    assertEquals(200, h.action(path("increment", key), e.wireName(), args(e, 7L)).statusCode());
    byte[] garbage = switch (e) {
      case JSON -> utf8("{\"args\":");
      case CBOR -> bytes("ffff");
      case BARE -> bytes("0400 05");
    };
    HttpResponse<byte[]> bad = h.action(path("increment", key), e.wireName(), garbage);
    assertEquals(400, bad.statusCode());
    assertEquals("core.internal_error", error(e, bad).group() + "." + error(e, bad).code());
    assertEquals("An internal error occurred", error(e, bad).message());
    HttpResponse<byte[]> badParams = h.action(path("increment", key), e.wireName(), args(e, 1L),
        "x-rivet-conn-params", "{bad");
    assertEquals(400, badParams.statusCode());
    assertEquals("core.internal_error", error(e, badParams).group() + "."
        + error(e, badParams).code());
    if (e == Encoding.JSON) {
      assertEquals("{\"actor\":{\"actorId\":\"" + actorId(bad) + "\",\"generation\":1,\"key\":\""
          + key + "\"},\"code\":\"internal_error\",\"group\":\"core\",\"message\":\"An internal"
          + " error occurred\"}", text(badParams));
    }
    HttpResponse<byte[]> count = h.action(path("getCount", key), e.wireName(), args(e));
    assertEquals(7L, ProtocolCodec.of(e).decodeHttpActionResponse(count.body()).output());
  }

  @Test
  void lenientBodiesMeanNoArguments() {
    HttpResponse<byte[]> r = h.action(path("getCount", "lenient"), "json", utf8("{}"));
    assertEquals("{\"output\":0}", text(r));
    HttpResponse<byte[]> unknownEncoding = h.action(path("getCount", "lenient"), "xml",
        utf8("{\"args\":[]}"));
    assertEquals("{\"output\":0}", text(unknownEncoding));
  }
}
