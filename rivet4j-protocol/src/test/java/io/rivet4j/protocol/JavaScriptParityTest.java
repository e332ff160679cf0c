package io.rivet4j.protocol;

import static io.rivet4j.protocol.GoldenVectors.list;
import static io.rivet4j.protocol.GoldenVectors.map;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bytes produced by the real rivetkit 2.3.19 ({@code encodeCborCompat} on cbor-x 1.6.9,
 * {@code jsonStringifyCompat}) and strings printed by V8, stored in test resources by the
 * scripts next to them: Java writes the same bytes and reads the JavaScript bytes back.
 */
class JavaScriptParityTest {
  /** jsonStringifyCompat has no Set support (it writes {}); we write the $Set tag it can read. */
  private static final Set<String> JSON_SET_CASES = Set.of("set", "setdollar");
  /** Java has no undefined: ["$Undefined",0] reads as null and writes as null. */
  private static final Set<String> UNDEFINED_CASES = Set.of("undef");

  record Case(String name, Object java, String cbor, String json) {
    @Override
    public String toString() {
      return name;
    }
  }

  static List<Case> cases() {
    JsonNode js = read("js-values.json");
    List<Case> cases = new ArrayList<>();
    javaValues().forEach((name, value) -> cases.add(
        new Case(name, value, js.get(name).get("cbor").asText(),
            js.get(name).get("json").asText())));
    assertEquals(js.size(), cases.size(), "every JavaScript case has a Java twin");
    return cases;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void writesTheSameCborCompatBytes(Case value) {
    if (UNDEFINED_CASES.contains(value.name())) {
      assertEquals("82f601", Hex.of(UserValues.encodeCbor(value.java()))); // [null, 1]
    } else {
      assertEquals(value.cbor(), Hex.of(UserValues.encodeCbor(value.java())));
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void writesTheSameJson(Case value) {
    if (JSON_SET_CASES.contains(value.name())) {
      assertEquals("{}", value.json());
      assertEquals(value.java(), UserValues.decodeJson(UserValues.encodeJson(value.java())));
    } else {
      assertEquals(value.json(), UserValues.encodeJson(value.java()));
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void readsTheJavaScriptBytesBack(Case value) {
    Object decoded = UserValues.decodeCbor(Hex.bytes(value.cbor()));
    if (!UNDEFINED_CASES.contains(value.name())) {
      assertEquals(value.cbor(), Hex.of(UserValues.encodeCbor(decoded)));
    }
    Object fromJson = UserValues.decodeJson(value.json());
    if (!JSON_SET_CASES.contains(value.name())) {
      assertEquals(value.json(), UserValues.encodeJson(fromJson));
    }
  }

  @Test
  void printsNumbersAsV8Does() {
    String[] lines = new String(bytes("js-numbers.txt"), StandardCharsets.UTF_8).split("\n");
    for (String line : lines) {
      String[] parts = line.split(" ");
      double value = Double.longBitsToDouble(Long.parseUnsignedLong(parts[0], 16));
      assertEquals(parts[1], UserValues.encodeJson(value), parts[0]);
    }
    assertEquals(2500, lines.length);
  }

  private static Map<String, Object> javaValues() {
    Map<String, Object> values = new LinkedHashMap<>();
    values.put("captured", list(1L, "two", null, map("a", list(1L, 2L)), BigInteger.TWO.pow(60),
        new byte[] {1, 2, 3}));
    values.put("hello", map("hello", "world"));
    values.put("n42", 42);
    values.put("f15", 1.5);
    values.put("fneg", -0.5);
    values.put("pi", 3.14159);
    values.put("tiny", 1e-7);
    values.put("huge", 1.5e300);
    values.put("tenth", 0.1);
    values.put("negzero", -0.0);
    values.put("nan", Double.NaN);
    values.put("inf", Double.POSITIVE_INFINITY);
    values.put("u32max", 4_294_967_295L);
    values.put("u32p1", 4_294_967_296L);
    values.put("nu32", -4_294_967_296L);
    values.put("nu32m1", -4_294_967_297L);
    values.put("maxsafe", 9_007_199_254_740_991L);
    values.put("p60", 0x1p60);
    values.put("empty", "");
    values.put("unicode", "héllo 😀 \u0000\u001f\u2028 \"\\/");
    values.put("long300", "x".repeat(300));
    values.put("e200", "é".repeat(200));
    values.put("lone", "a\ud800b");
    values.put("lonelong", "\ud800" + "y".repeat(70));
    values.put("bytes", new byte[] {0, (byte) 255});
    values.put("emptyarr", List.of());
    values.put("emptyobj", map());
    values.put("dollar", list("$foo", 1L));
    values.put("dollar2", list("$$bar", BigInteger.TWO));
    values.put("dollar3", list("$foo", 1L, 2L));
    values.put("set", new LinkedHashSet<>(List.of(1L, "a")));
    values.put("setdollar", new LinkedHashSet<>(List.of("$x", 1L)));
    values.put("big", BigInteger.TWO.pow(70).add(BigInteger.valueOf(123)));
    values.put("negbig", BigInteger.valueOf(-5));
    values.put("date", Instant.parse("2026-01-01T00:00:00Z"));
    values.put("date2", Instant.ofEpochMilli(-500));
    values.put("nested", map("a", list(1L, map("b", list(list(), map()))), "ключ", "значение",
        "k s", null));
    values.put("undef", list(null, 1L));
    Map<String, Object> wide = new LinkedHashMap<>();
    IntStream.range(0, 300).forEach(i -> wide.put("k" + i, (long) i));
    values.put("obj300", wide);
    values.put("arr300", IntStream.range(0, 300).mapToObj(i -> (Object) (long) i).toList());
    return values;
  }

  private static JsonNode read(String resource) {
    try {
      return new ObjectMapper().readTree(bytes(resource));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] bytes(String resource) {
    try (InputStream in = JavaScriptParityTest.class.getResourceAsStream(resource)) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
