package io.rivet4j.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class EncodingTest {

  @Test
  void parsesTheNamesTheClientSends() {
    assertSame(Encoding.JSON, Encoding.parse("json"));
    assertSame(Encoding.CBOR, Encoding.parse("cbor"));
    assertSame(Encoding.BARE, Encoding.parse("bare"));
    assertEquals("bare", Encoding.BARE.wireName());
    assertEquals("application/json", Encoding.JSON.contentType());
    assertEquals("application/octet-stream", Encoding.CBOR.contentType());
    assertFalse(Encoding.JSON.isBinary());
    assertTrue(Encoding.BARE.isBinary());
  }

  @Test
  void unknownNamesAreUnsupportedEncodings() {
    for (String name : new String[] {"xml", "BARE", "", " json"}) {
      ProtocolException e = assertThrows(ProtocolException.class, () -> Encoding.parse(name));
      assertEquals("protocol", e.group());
      assertEquals("unsupported_encoding", e.code());
      assertEquals("protocol.unsupported_encoding", e.qualifiedCode());
      assertTrue(e.getMessage().contains("'" + name + "'"), e.getMessage());
      assertEquals(Optional.empty(), Encoding.lookup(name));
    }
  }

  @Test
  void lookupLetsAServerDefaultToJsonLikeTheReference() {
    assertSame(Encoding.JSON, Encoding.lookup("msgpack").orElse(Encoding.JSON));
    assertSame(Encoding.CBOR, Encoding.lookup("cbor").orElse(Encoding.JSON));
  }

  @Test
  void codecsAreSharedPerEncoding() {
    for (Encoding encoding : Encoding.values()) {
      assertSame(ProtocolCodec.of(encoding), ProtocolCodec.of(encoding));
      assertSame(encoding, ProtocolCodec.of(encoding).encoding());
    }
    assertEquals(4, ProtocolCodec.CLIENT_PROTOCOL_VERSION);
  }
}
