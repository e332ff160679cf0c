package io.rivet4j.protocol;

import static io.rivet4j.protocol.Deep.assertDeepEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.rivet4j.protocol.GoldenVectors.Vector;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every captured vector decodes to its message and its message encodes to the same bytes. */
class GoldenVectorsTest {

  static List<Vector> vectors() {
    return GoldenVectors.all();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("vectors")
  void decodesToTheCapturedMessage(Vector vector) {
    Object decoded = vector.kind().decode(ProtocolCodec.of(vector.encoding()), vector.wire());
    assertDeepEquals(vector.message(), decoded);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("vectors")
  void encodesToTheCapturedBytes(Vector vector) {
    byte[] encoded = vector.kind().encode(ProtocolCodec.of(vector.encoding()), vector.message());
    if (vector.encoding() == Encoding.JSON) {
      assertEquals(new String(vector.wire(), StandardCharsets.UTF_8),
          new String(encoded, StandardCharsets.UTF_8));
    } else {
      assertEquals(Hex.of(vector.wire()), Hex.of(encoded));
    }
  }

  @Test
  void madeUpIdsHaveTheCapturedLengths() {
    assertEquals(30, GoldenVectors.CBOR_ACTOR.length());
    assertEquals(36, GoldenVectors.CBOR_CONNECTION.length());
    assertEquals(30, GoldenVectors.LIMITS_ACTOR.length());
    assertEquals(30, GoldenVectors.JSON_ACTOR.length());
    assertEquals(30, GoldenVectors.HTTP_ACTOR.length());
  }

  @Test
  void everyEncodingAndKindHasACapturedVector() {
    for (Encoding encoding : Encoding.values()) {
      for (MessageKind kind : MessageKind.values()) {
        boolean covered = vectors().stream()
            .anyMatch(vector -> vector.encoding() == encoding && vector.kind() == kind);
        assertEquals(true, covered, encoding + " " + kind);
      }
    }
  }
}
