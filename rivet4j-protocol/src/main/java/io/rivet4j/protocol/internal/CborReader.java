package io.rivet4j.protocol.internal;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * Decodes one CBOR item as cbor-x does for RivetKit, into the plain model: integers with a head
 * of at most 4 bytes are numbers (Long), 8-byte integers ({@code 1b}/{@code 3b}) and tags 2/3
 * are bigints (BigInteger), floats are numbers (Long when a safe integer), {@code undefined} is
 * null, byte strings and tags 64/68 are byte[], other typed-array tags are lists, tag 258 is a
 * Set, tag 259 a map, tags 0/1 an Instant; other tags are dropped. Map keys become strings as in
 * a JavaScript object. No compat tags are revived here (see {@link Compat}).
 *
 * <p>Every length is checked against the bytes that remain before anything is allocated, and
 * nesting is bounded, so hostile input fails fast with {@link MalformedException}.
 */
final class CborReader {
  private static final int BREAK = 0xFF;

  private final byte[] in;
  private int position;

  private CborReader(byte[] in) {
    this.in = in;
  }

  /** The single CBOR item that makes up all of {@code data}. */
  static Object read(byte[] data) {
    if (data.length == 0) {
      throw new MalformedException("empty CBOR value");
    }
    CborReader reader = new CborReader(data);
    Object value = reader.item(0);
    if (reader.position != data.length) {
      throw new MalformedException("trailing bytes after the CBOR value");
    }
    return value;
  }

  private Object item(int depth) {
    if (depth > Limits.MAX_DEPTH) {
      throw new MalformedException("CBOR nested deeper than " + Limits.MAX_DEPTH + " levels");
    }
    int initial = u8();
    int major = initial >>> 5;
    int info = initial & 0x1F;
    return switch (major) {
      case 0 -> info == 27 ? unsigned(argument(info)) : (Object) argument(info);
      case 1 -> info == 27
          ? BigInteger.ONE.negate().subtract(unsigned(argument(info)))
          : (Object) (-1 - argument(info));
      case 2 -> byteString(info);
      case 3 -> textString(info);
      case 4 -> array(info, depth);
      case 5 -> map(info, depth);
      case 6 -> tagged(argument(info), depth);
      default -> simple(info);
    };
  }

  private long argument(int info) {
    if (info < 24) {
      return info;
    }
    return switch (info) {
      case 24 -> u8();
      case 25 -> bigEndian(2);
      case 26 -> bigEndian(4);
      case 27 -> bigEndian(8);
      default -> throw new MalformedException(info == 31
          ? "indefinite length where a definite one is required"
          : "reserved CBOR additional information " + info);
    };
  }

  private static BigInteger unsigned(long value) {
    return new BigInteger(Long.toUnsignedString(value));
  }

  private int length(int info, int bytesPerItem) {
    long count = argument(info);
    long remaining = in.length - position;
    if (count < 0 || count > remaining / bytesPerItem) {
      throw new MalformedException("CBOR length " + Long.toUnsignedString(count)
          + " exceeds the " + remaining + " bytes that remain");
    }
    return (int) count;
  }

  private byte[] byteString(int info) {
    if (info == 31) {
      throw new MalformedException("indefinite-length byte strings are not supported");
    }
    int length = length(info, 1);
    byte[] bytes = Arrays.copyOfRange(in, position, position + length);
    position += length;
    return bytes;
  }

  private String textString(int info) {
    if (info == 31) {
      throw new MalformedException("indefinite-length text strings are not supported");
    }
    int length = length(info, 1);
    String text = Utf8.decodeLenient(in, position, length);
    position += length;
    return text;
  }

  private List<Object> array(int info, int depth) {
    if (info == 31) {
      List<Object> items = new ArrayList<>();
      while (peek() != BREAK) {
        items.add(item(depth + 1));
      }
      position++;
      return items;
    }
    int count = length(info, 1);
    List<Object> items = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      items.add(item(depth + 1));
    }
    return items;
  }

  private Map<String, Object> map(int info, int depth) {
    Map<String, Object> object = new LinkedHashMap<>();
    if (info == 31) {
      while (peek() != BREAK) {
        String key = key(item(depth + 1));
        object.put(key, item(depth + 1));
      }
      position++;
      return object;
    }
    int count = length(info, 2);
    for (int i = 0; i < count; i++) {
      String key = key(item(depth + 1));
      object.put(key, item(depth + 1));
    }
    return object;
  }

  /** A decoded map key as a JavaScript object key. */
  private static String key(Object key) {
    return switch (key) {
      case null -> "null";
      case String s -> s;
      case Long l -> Long.toString(l);
      case BigInteger b -> b.toString();
      case Double d -> JsNumbers.toJsString(d);
      case Boolean b -> b.toString();
      default -> throw new MalformedException("CBOR map key is not a string or number");
    };
  }

  private Object tagged(long tag, int depth) {
    Object content = item(depth + 1);
    if (tag == 0) {
      return JsDates.fromText(expect(content, String.class, "tag 0 (date text)"));
    }
    if (tag == 1) {
      return switch (content) {
        case Long l -> JsDates.fromEpochSeconds(l);
        case Double d -> JsDates.fromEpochSeconds(d);
        case null, default -> throw new MalformedException("tag 1 (date) needs a number");
      };
    }
    if (tag == 2 || tag == 3) {
      BigInteger magnitude = new BigInteger(1, expect(content, byte[].class, "bignum tag"));
      return tag == 2 ? magnitude : BigInteger.ONE.negate().subtract(magnitude);
    }
    if (tag >= 64 && tag <= 87) {
      return typedArray((int) tag, expect(content, byte[].class, "typed array tag " + tag));
    }
    if (tag == 258) {
      List<?> items = expect(content, List.class, "tag 258 (set)");
      return new LinkedHashSet<Object>(items);
    }
    if (tag == 259) {
      return expect(content, Map.class, "tag 259 (map)");
    }
    return content;
  }

  private static <T> T expect(Object content, Class<T> type, String what) {
    if (!type.isInstance(content)) {
      throw new MalformedException("CBOR " + what + " has the wrong content");
    }
    return type.cast(content);
  }

  /** RFC 8746 typed arrays: tag = 64 + (float << 4 | signed << 3 | littleEndian << 2 | size). */
  private static Object typedArray(int tag, byte[] raw) {
    int bits = tag - 64;
    boolean isFloat = (bits & 0x10) != 0;
    boolean signed = (bits & 0x08) != 0;
    ByteOrder order = (bits & 0x04) != 0 ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN;
    int sizeCode = bits & 0x03;
    if (!isFloat && !signed && sizeCode == 0) {
      return raw; // Uint8Array (64) and Uint8ClampedArray (68)
    }
    if (isFloat && (signed || sizeCode == 3)) {
      throw new MalformedException("unsupported typed array tag " + tag);
    }
    int size = isFloat ? 2 << sizeCode : 1 << sizeCode;
    if (raw.length % size != 0) {
      throw new MalformedException("typed array tag " + tag + " has a partial element");
    }
    ByteBuffer buffer = ByteBuffer.wrap(raw).order(order);
    List<Object> items = new ArrayList<>(raw.length / size);
    while (buffer.hasRemaining()) {
      items.add(isFloat ? floatElement(buffer, size) : intElement(buffer, size, signed));
    }
    return items;
  }

  private static Object floatElement(ByteBuffer buffer, int size) {
    return switch (size) {
      case 2 -> JsNumbers.fromDouble(Float.float16ToFloat(buffer.getShort()));
      case 4 -> JsNumbers.fromDouble(buffer.getFloat());
      default -> JsNumbers.fromDouble(buffer.getDouble());
    };
  }

  private static Object intElement(ByteBuffer buffer, int size, boolean signed) {
    return switch (size) {
      case 1 -> (long) buffer.get();
      case 2 -> signed ? (long) buffer.getShort() : (long) (buffer.getShort() & 0xFFFF);
      case 4 -> signed ? (long) buffer.getInt() : buffer.getInt() & 0xFFFF_FFFFL;
      default -> signed ? BigInteger.valueOf(buffer.getLong()) : unsigned(buffer.getLong());
    };
  }

  private Object simple(int info) {
    return switch (info) {
      case 20 -> Boolean.FALSE;
      case 21 -> Boolean.TRUE;
      case 22, 23 -> null; // null and undefined
      case 25 -> JsNumbers.fromDouble(Float.float16ToFloat((short) bigEndian(2)));
      case 26 -> JsNumbers.fromDouble(Float.intBitsToFloat((int) bigEndian(4)));
      case 27 -> JsNumbers.fromDouble(Double.longBitsToDouble(bigEndian(8)));
      case 31 -> throw new MalformedException("CBOR break outside an indefinite-length item");
      default -> throw new MalformedException("unsupported CBOR simple value " + info);
    };
  }

  private int peek() {
    if (position >= in.length) {
      throw new MalformedException("truncated CBOR value");
    }
    return in[position] & 0xFF;
  }

  private int u8() {
    int value = peek();
    position++;
    return value;
  }

  private long bigEndian(int byteCount) {
    if (in.length - position < byteCount) {
      throw new MalformedException("truncated CBOR value");
    }
    long value = 0;
    for (int i = 0; i < byteCount; i++) {
      value = value << 8 | (in[position++] & 0xFF);
    }
    return value;
  }
}
