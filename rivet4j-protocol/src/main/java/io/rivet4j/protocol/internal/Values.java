package io.rivet4j.protocol.internal;

import io.rivet4j.protocol.internal.CborWriter.Style;

/** Entry points for {@link io.rivet4j.protocol.UserValues}. */
public final class Values {
  private Values() {}

  public static Object normalize(Object value) {
    return JavaValues.normalize(value);
  }

  public static byte[] encodeCbor(Object value) {
    CborWriter out = CborWriter.create(Style.JS);
    ValueWalker.walk(value, out);
    return out.bytes();
  }

  public static Object decodeCbor(byte[] cbor) {
    return Compat.revive(CborReader.read(cbor));
  }

  public static String encodeJson(Object value) {
    JsonWriter out = new JsonWriter();
    ValueWalker.walk(value, out);
    return out.text();
  }

  public static Object decodeJson(String json) {
    return Compat.revive(JsonReader.read(json));
  }

  public static Object parseJson(String json) {
    return JsonReader.read(json);
  }
}
