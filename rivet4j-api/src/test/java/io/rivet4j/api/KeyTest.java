package io.rivet4j.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Keys serialize exactly as RivetKit's client does (client-protocol.md §2.1). */
class KeyTest {
  @Test
  void serializesWithRivetKitEscaping() {
    assertEquals("/", Key.of().serialize());
    assertEquals("a", Key.of("a").serialize());
    assertEquals("a/b", Key.of("a", "b").serialize());
    assertEquals("k-bare/a\\/b", Key.of("k-bare", "a/b").serialize());
    assertEquals("c\\\\d", Key.of("c\\d").serialize());
    assertEquals("\\0/x", Key.of("", "x").serialize());
  }

  @Test
  void deserializeInvertsSerialize() {
    for (Key k : List.of(Key.of(), Key.of("a"), Key.of("a", "b"), Key.of("a/b", "c\\d"),
        Key.of("", "x", ""), Key.of("\\0"), Key.of("/", "\\"))) {
      assertEquals(k, Key.deserialize(k.serialize()), k.toString());
    }
  }

  @Test
  void partsAreCopiedAndNullIsRejected() {
    java.util.ArrayList<String> parts = new java.util.ArrayList<>(List.of("a"));
    Key k = Key.of(parts);
    parts.add("b");
    assertEquals(List.of("a"), k.parts());
    assertThrows(NullPointerException.class, () -> Key.of((List<String>) null));
  }
}
