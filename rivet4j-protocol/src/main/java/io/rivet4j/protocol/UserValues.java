package io.rivet4j.protocol;

import io.rivet4j.protocol.internal.MalformedException;
import io.rivet4j.protocol.internal.Values;
import java.util.Objects;

/**
 * User values (action arguments and outputs, event args, input, state, connection params)
 * outside of a message: the mapping the package docs describe, in the layers RivetKit uses.
 */
public final class UserValues {
  private UserValues() {}

  /**
   * The plain form of any supported Java value (see the package docs); records, POJOs and enums
   * go through Jackson.
   *
   * @throws ProtocolException {@code protocol.invalid_value} when JavaScript cannot represent it
   */
  public static Object normalize(Object value) {
    return Values.normalize(value);
  }

  /**
   * CBOR-compat bytes of {@code value} as RivetKit's {@code encodeCborCompat} writes them with
   * cbor-x: the format of user values inside BARE, of {@code rvt-input} and of persisted state.
   */
  public static byte[] encodeCbor(Object value) {
    return Values.encodeCbor(value);
  }

  /** The value in CBOR-compat bytes (cbor-x decoding, then JSON-compat tags revived). */
  public static Object decodeCbor(byte[] cbor) {
    Objects.requireNonNull(cbor, "cbor");
    try {
      return Values.decodeCbor(cbor);
    } catch (MalformedException e) {
      throw invalid(e);
    }
  }

  /** {@code jsonStringifyCompat(value)}. */
  public static String encodeJson(Object value) {
    return Values.encodeJson(value);
  }

  /** {@code jsonParseCompat(json)}: JSON with JSON-compat tags revived. */
  public static Object decodeJson(String json) {
    Objects.requireNonNull(json, "json");
    try {
      return Values.decodeJson(json);
    } catch (MalformedException e) {
      throw invalid(e);
    }
  }

  /**
   * Plain {@code JSON.parse(json)} without compat tags, e.g. for {@code x-rivet-conn-params},
   * which the client writes with {@code JSON.stringify}.
   */
  public static Object parseJson(String json) {
    Objects.requireNonNull(json, "json");
    try {
      return Values.parseJson(json);
    } catch (MalformedException e) {
      throw invalid(e);
    }
  }

  private static ProtocolException invalid(MalformedException e) {
    return new ProtocolException(ProtocolException.INVALID_VALUE,
        "Invalid user value: " + e.getMessage(), e);
  }
}
