package io.rivet4j.protocol;

import static io.rivet4j.protocol.Deep.assertDeepEquals;
import static io.rivet4j.protocol.GoldenVectors.list;
import static io.rivet4j.protocol.GoldenVectors.map;

import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Values survive every message and body that carries one, in every encoding: what goes in as
 * {@code sent} comes back as exactly {@code received} (types included).
 */
class ValueRoundTripTest {

  record Case(String name, Object sent, Object received) {
    @Override
    public String toString() {
      return name;
    }
  }

  static List<Case> cases() {
    BigInteger big = BigInteger.TWO.pow(70).add(BigInteger.valueOf(123));
    List<Object> thousands = new ArrayList<>();
    for (long i = 0; i < 5000; i++) {
      thousands.add(i % 3 == 0 ? i : i % 3 == 1 ? "s" + i : map("i", i));
    }
    return List.of(
        new Case("null", null, null),
        new Case("true", true, true),
        new Case("false", false, false),
        new Case("zero", 0L, 0L),
        new Case("small negative", -1L, -1L),
        new Case("int", 42, 42L),
        new Case("2^32 - 1", 4_294_967_295L, 4_294_967_295L),
        new Case("2^32", 4_294_967_296L, 4_294_967_296L),
        new Case("-2^32", -4_294_967_296L, -4_294_967_296L),
        new Case("-2^32 - 1", -4_294_967_297L, -4_294_967_297L),
        new Case("2^53 - 1", 9_007_199_254_740_991L, 9_007_199_254_740_991L),
        new Case("-(2^53 - 1)", -9_007_199_254_740_991L, -9_007_199_254_740_991L),
        new Case("2^53 as long becomes bigint", 9_007_199_254_740_992L,
            BigInteger.valueOf(9_007_199_254_740_992L)),
        new Case("Long.MAX_VALUE becomes bigint", Long.MAX_VALUE,
            BigInteger.valueOf(Long.MAX_VALUE)),
        new Case("bigint 2^70 + 123", big, big),
        new Case("bigint -5", BigInteger.valueOf(-5), BigInteger.valueOf(-5)),
        new Case("bigint 5 stays bigint", BigInteger.valueOf(5), BigInteger.valueOf(5)),
        new Case("pi-ish", 3.14159, 3.14159),
        new Case("-0.5", -0.5, -0.5),
        new Case("1e-7", 1e-7, 1e-7),
        new Case("1.5e300", 1.5e300, 1.5e300),
        new Case("0.1", 0.1, 0.1),
        new Case("float", 1.5f, 1.5),
        new Case("integral double is a number", 12.0, 12L),
        new Case("2^60 as double", 0x1p60, 0x1p60),
        new Case("empty string", "", ""),
        new Case("unicode", "héllo wörld ключ 日本語", "héllo wörld ключ 日本語"),
        new Case("astral", "😀 𝄞 \uD83C\uDFF3\uFE0F", "😀 𝄞 \uD83C\uDFF3\uFE0F"),
        new Case("control characters", "\u0000\u0001\u001f\b\f\n\r\t\"\\/\u007f\u2028",
            "\u0000\u0001\u001f\b\f\n\r\t\"\\/\u007f\u2028"),
        new Case("50 KB string", "x".repeat(50_000), "x".repeat(50_000)),
        new Case("bytes", new byte[] {0, 1, 2, (byte) 255}, new byte[] {0, 1, 2, (byte) 255}),
        new Case("empty bytes", new byte[0], new byte[0]),
        new Case("empty list", List.of(), list()),
        new Case("empty object", map(), map()),
        new Case("nested", map("a", list(1L, map("b", list(list(), map()))), "ключ", "значение",
                "key with space", null, "bytes", new byte[] {9}),
            map("a", list(1L, map("b", list(list(), map()))), "ключ", "значение",
                "key with space", null, "bytes", new byte[] {9})),
        new Case("$-prefixed pair is escaped", list("$foo", 1L), list("$foo", 1L)),
        new Case("$$-prefixed pair", list("$$bar", list("$BigInt", "x")),
            list("$$bar", list("$BigInt", "x"))),
        new Case("$ string in a longer array", list("$foo", 1L, 2L), list("$foo", 1L, 2L)),
        new Case("set", new LinkedHashSet<>(List.of(3L, "a")),
            new LinkedHashSet<>(List.of(3L, "a"))),
        new Case("nested bigint and bytes", map("n", BigInteger.TEN.pow(30), "b",
                list(new byte[] {1, 2, 3})),
            map("n", BigInteger.TEN.pow(30), "b", list(new byte[] {1, 2, 3}))),
        new Case("thousands of elements", thousands, thousands));
  }

  static Stream<Arguments> encodingsAndCases() {
    return Stream.of(Encoding.values())
        .flatMap(encoding -> cases().stream().map(c -> Arguments.of(encoding, c)));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("encodingsAndCases")
  void survivesEveryCarrier(Encoding encoding, Case value) {
    ProtocolCodec codec = ProtocolCodec.of(encoding);
    Object sent = value.sent();
    Object received = value.received();

    ToServer.ActionRequest request = (ToServer.ActionRequest) codec.decodeToServer(
        codec.encode(new ToServer.ActionRequest(7, "echo", list(sent))));
    assertDeepEquals(list(received), request.args());

    ToClient.ActionResponse response = (ToClient.ActionResponse) codec.decodeToClient(
        codec.encode(new ToClient.ActionResponse(7, sent)));
    assertDeepEquals(received, response.output());

    ToClient.Event event = (ToClient.Event) codec.decodeToClient(
        codec.encode(new ToClient.Event("e", list(sent, sent))));
    assertDeepEquals(list(received, received), event.args());

    assertDeepEquals(list(received),
        codec.decodeHttpActionRequest(codec.encode(new HttpActionRequest(list(sent)))).args());
    assertDeepEquals(received,
        codec.decodeHttpActionResponse(codec.encode(new HttpActionResponse(sent))).output());
    HttpQueueSendRequest queued = codec.decodeHttpQueueSendRequest(codec.encode(
        new HttpQueueSendRequest(sent, Optional.of("q"), Optional.empty(), OptionalLong.of(9))));
    assertDeepEquals(received, queued.body());

    if (received != null) { // a null metadata or response reads back as absent
      ToClient.Error error = (ToClient.Error) codec.decodeToClient(codec.encode(
          new ToClient.Error("g", "c", "m", Optional.of(sent), OptionalLong.of(1),
              Optional.empty())));
      assertDeepEquals(received, error.metadata().orElseThrow());
      HttpResponseError httpError = codec.decodeHttpResponseError(codec.encode(
          new HttpResponseError("g", "c", "m", Optional.of(sent), Optional.empty())));
      assertDeepEquals(received, httpError.metadata().orElseThrow());
      HttpQueueSendResponse result = codec.decodeHttpQueueSendResponse(codec.encode(
          new HttpQueueSendResponse("completed", Optional.of(sent))));
      assertDeepEquals(received, result.response().orElseThrow());
    }

    assertDeepEquals(received, UserValues.decodeCbor(UserValues.encodeCbor(sent)));
    assertDeepEquals(received, UserValues.decodeJson(UserValues.encodeJson(sent)));
  }

  static Stream<Encoding> encodings() {
    return Stream.of(Encoding.values());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("encodings")
  void nonFiniteNumbersAreNullInJsonAndKeptInBinaryEncodings(Encoding encoding) {
    ProtocolCodec codec = ProtocolCodec.of(encoding);
    List<Object> sent = list(Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY);
    Object output = codec.decodeHttpActionResponse(codec.encode(new HttpActionResponse(sent)))
        .output();
    assertDeepEquals(encoding == Encoding.JSON ? list(null, null, null) : sent, output);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("encodings")
  void negativeZeroIsZeroAsInJavaScriptEncoders(Encoding encoding) {
    ProtocolCodec codec = ProtocolCodec.of(encoding);
    Object output = codec.decodeHttpActionResponse(codec.encode(new HttpActionResponse(-0.0)))
        .output();
    assertDeepEquals(0L, output);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("encodings")
  void instantsAreDatesInBinaryEncodingsAndIsoTextInJson(Encoding encoding) {
    ProtocolCodec codec = ProtocolCodec.of(encoding);
    Instant whole = Instant.parse("2026-11-22T10:15:30Z");
    Instant fraction = Instant.parse("1969-07-20T20:17:40.123Z");
    Object output = codec.decodeHttpActionResponse(
        codec.encode(new HttpActionResponse(list(whole, fraction)))).output();
    Object expected = encoding == Encoding.JSON
        ? list("2026-11-22T10:15:30.000Z", "1969-07-20T20:17:40.123Z")
        : list(whole, fraction);
    assertDeepEquals(expected, output);
  }

  /**
   * As in JavaScript: JSON escapes lone surrogates; cbor-x writes them as 3-byte sequences in
   * strings under 64 UTF-16 units and as U+FFFD in longer ones; the Rust side (canonical CBOR)
   * cannot hold them and writes U+FFFD.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("encodings")
  void loneSurrogatesFollowTheJavaScriptEncoders(Encoding encoding) {
    ProtocolCodec codec = ProtocolCodec.of(encoding);
    String shortText = "a\uD800b\uDC00";
    String longText = shortText + "x".repeat(64);
    ToClient.ActionResponse response = (ToClient.ActionResponse) codec.decodeToClient(
        codec.encode(new ToClient.ActionResponse(1, list(shortText, longText))));
    String replaced = "a\uFFFDb\uFFFD";
    assertDeepEquals(encoding == Encoding.JSON
        ? list(shortText, longText)
        : list(shortText, replaced + "x".repeat(64)), response.output());
    Object httpOutput = codec.decodeHttpActionResponse(
        codec.encode(new HttpActionResponse(shortText))).output();
    assertDeepEquals(switch (encoding) {
      case JSON, BARE -> shortText;
      case CBOR -> replaced;
    }, httpOutput);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("encodings")
  void unsignedIdsUseAllSixtyFourBits(Encoding encoding) {
    ProtocolCodec codec = ProtocolCodec.of(encoding);
    long max = -1L; // 2^64 - 1
    ToServer.ActionRequest request = (ToServer.ActionRequest) codec.decodeToServer(
        codec.encode(new ToServer.ActionRequest(max, "a", List.of())));
    assertDeepEquals(max, request.id());
    ToClient.Error error = (ToClient.Error) codec.decodeToClient(codec.encode(
        new ToClient.Error("g", "c", "m", Optional.empty(), OptionalLong.of(max),
            Optional.of(new ActorSpecifier("a", max, Optional.empty())))));
    assertDeepEquals(OptionalLong.of(max), error.actionId());
    assertDeepEquals(new ActorSpecifier("a", max, Optional.empty()), error.actor().orElseThrow());
    HttpQueueSendRequest queued = codec.decodeHttpQueueSendRequest(codec.encode(
        new HttpQueueSendRequest(null, Optional.empty(), Optional.empty(), OptionalLong.of(max))));
    assertDeepEquals(OptionalLong.of(max), queued.timeout());
  }
}
