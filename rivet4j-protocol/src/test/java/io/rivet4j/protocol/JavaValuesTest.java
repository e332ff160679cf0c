package io.rivet4j.protocol;

import static io.rivet4j.protocol.Deep.assertDeepEquals;
import static io.rivet4j.protocol.GoldenVectors.list;
import static io.rivet4j.protocol.GoldenVectors.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Java values become plain values before they are written (records via Jackson). */
class JavaValuesTest {

  enum Color { RED, GREEN }

  record Point(int x, long y) {}

  record Order(
      String id,
      List<Point> points,
      Optional<String> note,
      Optional<String> missing,
      Color color,
      byte[] payload,
      Set<String> tags,
      Instant at,
      BigInteger big,
      Map<Integer, String> labels,
      @JsonProperty("renamed") String original) {}

  static final class Bean {
    public String getName() {
      return "bean";
    }

    public int getCount() {
      return 3;
    }
  }

  record Empty() {}

  @Test
  void recordsBecomeOrderedObjectsOfTheirComponents() {
    Instant at = Instant.parse("2026-11-22T00:00:00Z");
    Map<Integer, String> labels = new LinkedHashMap<>();
    labels.put(2, "two");
    labels.put(1, "one");
    Order order = new Order("o1", List.of(new Point(1, 2)), Optional.of("n"), Optional.empty(),
        Color.GREEN, new byte[] {7}, new LinkedHashSet<>(List.of("a", "b")), at,
        BigInteger.TEN, labels, "value");

    Object plain = UserValues.normalize(order);

    assertDeepEquals(map("id", "o1", "points", list(map("x", 1L, "y", 2L)), "note", "n",
        "missing", null, "color", "GREEN", "payload", new byte[] {7},
        "tags", new LinkedHashSet<>(List.of("a", "b")), "at", at, "big", BigInteger.TEN,
        "labels", map("2", "two", "1", "one"), "renamed", "value"), plain);
  }

  @Test
  void everyLeafTypeHasAPlainForm() {
    assertDeepEquals(7L, UserValues.normalize(7));
    assertDeepEquals(7L, UserValues.normalize((short) 7));
    assertDeepEquals(7L, UserValues.normalize((byte) 7));
    assertDeepEquals(1.5, UserValues.normalize(1.5f));
    assertDeepEquals(0.25, UserValues.normalize(new BigDecimal("0.25")));
    assertDeepEquals("c", UserValues.normalize('c'));
    assertDeepEquals("chars", UserValues.normalize("chars".toCharArray()));
    assertDeepEquals(new byte[] {2, 3}, UserValues.normalize(ByteBuffer.wrap(new byte[] {1, 2, 3})
        .position(1)));
    assertDeepEquals(Instant.ofEpochMilli(5), UserValues.normalize(new Date(5)));
    assertDeepEquals("2026-11-22", UserValues.normalize(LocalDate.of(2026, 11, 22)));
    assertDeepEquals("PT1S", UserValues.normalize(Duration.ofSeconds(1)));
    assertDeepEquals(null, UserValues.normalize(Optional.empty()));
    assertDeepEquals(4L, UserValues.normalize(OptionalInt.of(4)));
    assertDeepEquals("RED", UserValues.normalize(Color.RED));
    assertDeepEquals(list(1L, 2L), UserValues.normalize(new int[] {1, 2}));
    assertDeepEquals(list(true), UserValues.normalize(new boolean[] {true}));
    assertDeepEquals(list("a", 1L), UserValues.normalize(new Object[] {"a", 1}));
    assertDeepEquals(map("name", "bean", "count", 3L), UserValues.normalize(new Bean()));
    assertDeepEquals(map(), UserValues.normalize(new Empty()));
    UUID id = UUID.fromString("0a21cec2-2a63-4c77-86e6-e6b1e34fafc2");
    assertDeepEquals(id.toString(), UserValues.normalize(id));
    assertDeepEquals(map("1.5", "x"), UserValues.normalize(Map.of(1.5, "x")));
    assertDeepEquals(map("a", 1L, "b", 2L), UserValues.normalize(new TreeMap<>(Map.of("b", 2,
        "a", 1))));
  }

  @Test
  void recordsAreWrittenLikeTheirPlainForm() {
    Point point = new Point(1, 2);
    for (Encoding encoding : Encoding.values()) {
      ProtocolCodec codec = ProtocolCodec.of(encoding);
      assertEquals(Hex.of(codec.encode(new HttpActionResponse(map("x", 1L, "y", 2L)))),
          Hex.of(codec.encode(new HttpActionResponse(point))), encoding.wireName());
    }
  }

  @Test
  void anEnumWhoseNameStartsWithDollarIsEscapedInATwoElementArray() {
    assertEquals("[\"$$A\",1]", UserValues.encodeJson(List.of(Dollar.$A, 1)));
  }

  enum Dollar { $A }

  @Test
  void cyclesAndDeepNestingAreRejectedNotOverflowed() {
    List<Object> cycle = new ArrayList<>();
    cycle.add(cycle);
    for (Encoding encoding : Encoding.values()) {
      ProtocolException e = assertThrows(ProtocolException.class,
          () -> ProtocolCodec.of(encoding).encode(new HttpActionResponse(cycle)));
      assertEquals(ProtocolException.INVALID_VALUE, e.code());
    }
    assertThrows(ProtocolException.class, () -> UserValues.normalize(cycle));
  }

  @Test
  void nullMapKeysAndOutOfRangeDatesAreRejected() {
    Map<String, Object> nullKey = new LinkedHashMap<>();
    nullKey.put(null, 1);
    ProtocolException e = assertThrows(ProtocolException.class,
        () -> UserValues.encodeJson(nullKey));
    assertEquals(ProtocolException.INVALID_VALUE, e.code());
    assertThrows(ProtocolException.class, () -> UserValues.encodeCbor(Instant.MAX));
    assertThrows(ProtocolException.class, () -> UserValues.encodeJson(Instant.MIN));
  }

  static final class Exploding {
    public String getValue() {
      throw new IllegalStateException("boom");
    }
  }

  @Test
  void jacksonFailuresBecomeInvalidValue() {
    ProtocolException e = assertThrows(ProtocolException.class,
        () -> UserValues.encodeCbor(new Exploding()));
    assertEquals(ProtocolException.INVALID_VALUE, e.code());
  }
}
