package io.rivet4j.protocol;

import static io.rivet4j.protocol.Deep.assertDeepEquals;
import static io.rivet4j.protocol.GoldenVectors.list;
import static io.rivet4j.protocol.GoldenVectors.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigInteger;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/** User values alone: the captured CBOR-compat bytes, cbor-x quirks, JSON-compat tags. */
class UserValuesTest {

  @Test
  void capturedBareArgsVector() { // client-protocol.md §3.2
    byte[] wire = Hex.hex("86 01 63 74776f f6 b9 0001 6161 82 01 02 82 67 24426967496e74 73")
        .text("1152921504606846976").then("82 6b 2455696e74384172726179 64 41514944").build();
    List<Object> args = list(1L, "two", null, map("a", list(1L, 2L)), BigInteger.TWO.pow(60),
        new byte[] {1, 2, 3});
    assertEquals(Hex.of(wire), Hex.of(UserValues.encodeCbor(args)));
    assertDeepEquals(args, UserValues.decodeCbor(wire));
  }

  @Test
  void capturedInputVectors() { // client-protocol.md §2.2
    byte[] hello = UserValues.encodeCbor(map("hello", "world"));
    assertEquals("b900016568656c6c6f65776f726c64", Hex.of(hello));
    assertEquals("uQABZWhlbGxvZXdvcmxk", Base64.getUrlEncoder().withoutPadding()
        .encodeToString(hello));
    assertEquals("GCo=", Base64.getEncoder().encodeToString(UserValues.encodeCbor(42)));
  }

  @Test
  void readsWhatTheJavaScriptClientSendsNativelyInCborMode() { // §3.2 client-sent quirks
    assertDeepEquals(BigInteger.ZERO, UserValues.decodeCbor(Hex.bytes("1b0000000000000000")));
    assertDeepEquals(BigInteger.valueOf(-6),
        UserValues.decodeCbor(Hex.bytes("3b0000000000000005")));
    assertDeepEquals(null, UserValues.decodeCbor(Hex.bytes("f7")));
    assertDeepEquals(new byte[] {1, 2, 3}, UserValues.decodeCbor(Hex.bytes("d840 43 010203")));
    assertDeepEquals(map("a", 1L), UserValues.decodeCbor(Hex.bytes("d90103 a1 6161 01")));
    assertDeepEquals(1.5, UserValues.decodeCbor(Hex.bytes("fb3ff8000000000000")));
    assertDeepEquals(1.5, UserValues.decodeCbor(Hex.bytes("f93e00"))); // reference server
    assertDeepEquals(4_294_967_296L, UserValues.decodeCbor(Hex.bytes("fb41f0000000000000")));
    assertDeepEquals(new LinkedHashSet<>(List.of(1L, 2L)),
        UserValues.decodeCbor(Hex.bytes("d90102 82 01 02")));
    assertDeepEquals(BigInteger.TWO.pow(64),
        UserValues.decodeCbor(Hex.bytes("c2 49 010000000000000000")));
    assertDeepEquals(BigInteger.TWO.pow(64).negate().subtract(BigInteger.ONE),
        UserValues.decodeCbor(Hex.bytes("c3 49 010000000000000000")));
    assertDeepEquals(Instant.parse("2026-01-01T00:00:00Z"),
        UserValues.decodeCbor(Hex.bytes("c1 1a 6955b900")));
    assertDeepEquals(Instant.parse("1969-12-31T23:59:59.500Z"),
        UserValues.decodeCbor(Hex.bytes("c1 fb bfe0000000000000")));
    assertDeepEquals(Instant.parse("2026-01-01T00:00:00Z"),
        UserValues.decodeCbor(Hex.hex("c0 74").text("2026-01-01T00:00:00Z").build()));
    assertDeepEquals(list(1L, -1L), UserValues.decodeCbor(Hex.bytes("d84d 44 0100ffff")));
    assertDeepEquals(list(1.5, 2L), UserValues.decodeCbor(
        Hex.bytes("d856 50 000000000000f83f 0000000000000040")));
    assertDeepEquals(list(1L, 2L), UserValues.decodeCbor(Hex.bytes("9f 01 02 ff")));
    assertDeepEquals(map("a", 1L, "1", 2L),
        UserValues.decodeCbor(Hex.bytes("bf 6161 01 01 02 ff")));
    assertDeepEquals("x", UserValues.decodeCbor(Hex.bytes("d9d9f7 6178"))); // unknown tag dropped
  }

  @Test
  void writesCborAsCborXDoes() {
    assertEquals("fb3ff8000000000000", Hex.of(UserValues.encodeCbor(1.5)));
    assertEquals("1affffffff", Hex.of(UserValues.encodeCbor(4_294_967_295L)));
    assertEquals("fb41f0000000000000", Hex.of(UserValues.encodeCbor(4_294_967_296L)));
    assertEquals("3affffffff", Hex.of(UserValues.encodeCbor(-4_294_967_296L)));
    assertEquals("fbc1f0000000100000", Hex.of(UserValues.encodeCbor(-4_294_967_297L)));
    assertEquals("00", Hex.of(UserValues.encodeCbor(-0.0)));
    assertEquals("80", Hex.of(UserValues.encodeCbor(List.of())));
    assertEquals("b90000", Hex.of(UserValues.encodeCbor(map())));
    assertEquals("c11a6955b900",
        Hex.of(UserValues.encodeCbor(Instant.parse("2026-01-01T00:00:00Z"))));
    assertEquals("c1fbbfe0000000000000",
        Hex.of(UserValues.encodeCbor(Instant.parse("1969-12-31T23:59:59.500Z"))));
    assertEquals("8264245365748201616e",
        Hex.of(UserValues.encodeCbor(new LinkedHashSet<>(List.of(1L, "n")))));
  }

  @Test
  void jsonCompatTagsBothWays() {
    assertEquals("[\"$BigInt\",\"1180591620717411303547\"]",
        UserValues.encodeJson(BigInteger.TWO.pow(70).add(BigInteger.valueOf(123))));
    assertEquals("[\"$Uint8Array\",\"AQID\"]", UserValues.encodeJson(new byte[] {1, 2, 3}));
    assertEquals("[\"$Set\",[1,\"a\"]]",
        UserValues.encodeJson(new LinkedHashSet<>(List.of(1L, "a"))));
    assertEquals("[\"$$foo\",1]", UserValues.encodeJson(list("$foo", 1L)));
    assertEquals("[\"$Set\",[\"$x\",1]]", UserValues.encodeJson(new LinkedHashSet<>(
        List.of("$x", 1L)))); // the items array is not escaped, as in RivetKit
    assertEquals("{\"a\":null,\"b\":1e+21,\"c\":1e-7,\"d\":0.000001,\"e\":-1.5e+300}",
        UserValues.encodeJson(map("a", Double.NaN, "b", 1e21, "c", 1e-7, "d", 1e-6,
            "e", -1.5e300)));

    assertDeepEquals(null, UserValues.decodeJson("[\"$Undefined\",0]"));
    assertDeepEquals(new byte[] {1, 2, 3}, UserValues.decodeJson("[\"$ArrayBuffer\",\"AQID\"]"));
    assertDeepEquals(new byte[] {(byte) 0xfb, (byte) 0xff},
        UserValues.decodeJson("[\"$Uint8Array\",\"-_8\"]"));
    assertDeepEquals(new LinkedHashSet<>(List.of(BigInteger.ONE)),
        UserValues.decodeJson("[\"$Set\",[[\"$BigInt\",\"1\"]]]"));
    assertDeepEquals(list("$foo", BigInteger.TWO),
        UserValues.decodeJson("[\"$$foo\",[\"$BigInt\",\"2\"]]"));
    assertDeepEquals(BigInteger.valueOf(-42), UserValues.decodeJson("[\"$BigInt\",\"-42\"]"));
    assertDeepEquals(list("$", 1L), UserValues.decodeJson("[\"$$\",1]"));
  }

  @Test
  void unknownOrBrokenCompatTagsAreInvalidValues() {
    for (String json : List.of("[\"$foo\",1]", "[\"$BigInt\",\"1.5\"]", "[\"$BigInt\",[]]",
        "[\"$Uint8Array\",1]", "[\"$Set\",1]", "[\"$BigInt\",\"" + "9".repeat(10_001) + "\"]")) {
      ProtocolException e = assertThrows(ProtocolException.class,
          () -> UserValues.decodeJson(json), json);
      assertEquals("protocol", e.group());
      assertEquals(ProtocolException.INVALID_VALUE, e.code());
    }
  }

  @Test
  void plainJsonParseKeepsDollarArraysAsTheyAre() {
    assertDeepEquals(map("token", "p1", "pair", list("$foo", 1L)),
        UserValues.parseJson("{\"token\":\"p1\",\"pair\":[\"$foo\",1]}"));
  }

  @Test
  void jsonNumbersAreJavaScriptNumbers() {
    assertDeepEquals(list(1L, 1L, -0.0, 1.5, 9_007_199_254_740_991L, 9.007199254740992e15,
            1e21, 1.2345678901234567e19),
        UserValues.parseJson("[1, 1.0, -0, 1.5, 9007199254740991, 9007199254740992, 1e21,"
            + " 12345678901234567890]"));
  }

  @Test
  void repeatedKeysKeepTheFirstPlaceAndTheLastValue() {
    assertDeepEquals(map("a", 3L, "b", 2L), UserValues.parseJson("{\"a\":1,\"b\":2,\"a\":3}"));
    assertDeepEquals(map("a", 3L, "b", 2L),
        UserValues.decodeCbor(Hex.bytes("a3 6161 01 6162 02 6161 03")));
  }
}
