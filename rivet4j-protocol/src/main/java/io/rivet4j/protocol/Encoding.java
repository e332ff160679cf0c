package io.rivet4j.protocol;

import java.util.Objects;
import java.util.Optional;

/**
 * The three encodings of actor traffic, named as the client sends them in the
 * {@code x-rivet-encoding} header and the {@code rivet_encoding.<name>} WebSocket subprotocol.
 */
public enum Encoding {
  JSON("json", "application/json", false),
  CBOR("cbor", "application/octet-stream", true),
  BARE("bare", "application/octet-stream", true);

  private final String wireName;
  private final String contentType;
  private final boolean binary;

  Encoding(String wireName, String contentType, boolean binary) {
    this.wireName = wireName;
    this.contentType = contentType;
    this.binary = binary;
  }

  /** {@code json}, {@code cbor} or {@code bare}. */
  public String wireName() {
    return wireName;
  }

  /** The HTTP {@code Content-Type} of bodies in this encoding. */
  public String contentType() {
    return contentType;
  }

  /** True for binary WebSocket frames (cbor, bare); JSON travels in text frames. */
  public boolean isBinary() {
    return binary;
  }

  /**
   * The encoding named {@code name} (exact, lower case).
   *
   * @throws ProtocolException {@code protocol.unsupported_encoding} for any other name
   */
  public static Encoding parse(String name) {
    return lookup(name).orElseThrow(() -> new ProtocolException(
        ProtocolException.UNSUPPORTED_ENCODING,
        "Unsupported protocol encoding '" + name + "'. Use json, cbor or bare."));
  }

  /**
   * The encoding named {@code name}, if any. The reference server treats a missing or unknown
   * {@code x-rivet-encoding} header as JSON: {@code lookup(header).orElse(JSON)}.
   */
  public static Optional<Encoding> lookup(String name) {
    Objects.requireNonNull(name, "name");
    for (Encoding encoding : values()) {
      if (encoding.wireName.equals(name)) {
        return Optional.of(encoding);
      }
    }
    return Optional.empty();
  }
}
