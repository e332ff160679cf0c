package io.rivet4j.protocol.internal;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * UTF-8 the way each side of RivetKit writes and reads it. BARE strings are strict (Rust reads
 * them, TextEncoder writes them). CBOR text follows cbor-x: strings shorter than 64 UTF-16 units
 * are written by hand, so a lone surrogate becomes its 3-byte (WTF-8) form, longer strings go
 * through Node's encoder, which writes U+FFFD; reading keeps WTF-8 surrogates and replaces any
 * other malformed sequence with U+FFFD, as cbor-x and TextDecoder do.
 */
public final class Utf8 {
  private static final int CBOR_X_MANUAL_LIMIT = 0x40;
  private static final char REPLACEMENT = '\uFFFD';

  private Utf8() {}

  /** UTF-8 bytes of {@code text}; a lone surrogate becomes U+FFFD, as TextEncoder writes it. */
  public static byte[] encode(String text) {
    return hasSurrogate(text) ? encodeSlow(text, false) : text.getBytes(StandardCharsets.UTF_8);
  }

  /** UTF-8 bytes of {@code text} exactly as cbor-x writes a JavaScript string. */
  static byte[] encodeLikeCborX(String text) {
    if (!hasSurrogate(text)) {
      return text.getBytes(StandardCharsets.UTF_8);
    }
    return encodeSlow(text, text.length() < CBOR_X_MANUAL_LIMIT);
  }

  /** Decodes well-formed UTF-8 or throws {@link MalformedException}. */
  public static String decode(byte[] bytes, int offset, int length) {
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes, offset, length))
          .toString();
    } catch (CharacterCodingException e) {
      throw new MalformedException("string is not valid UTF-8");
    }
  }

  /** Decodes as cbor-x does: WTF-8 surrogates kept, other malformed sequences become U+FFFD. */
  static String decodeLenient(byte[] bytes, int offset, int length) {
    StringBuilder out = new StringBuilder(length);
    int i = offset;
    int end = offset + length;
    while (i < end) {
      int lead = bytes[i] & 0xFF;
      if (lead < 0x80) {
        out.append((char) lead);
        i++;
        continue;
      }
      int size = lead >= 0xC2 && lead <= 0xDF ? 2 : lead >= 0xE0 && lead <= 0xEF ? 3
          : lead >= 0xF0 && lead <= 0xF4 ? 4 : 1;
      int low = lead == 0xE0 ? 0xA0 : lead == 0xF0 ? 0x90 : 0x80;
      int high = lead == 0xF4 ? 0x8F : 0xBF; // ED keeps 80–BF: A0–BF are WTF-8 surrogates
      int codePoint = size == 2 ? lead & 0x1F : size == 3 ? lead & 0x0F : lead & 0x07;
      int consumed = 1;
      boolean valid = size > 1;
      while (valid && consumed < size) {
        int next = i + consumed < end ? bytes[i + consumed] & 0xFF : -1;
        int min = consumed == 1 ? low : 0x80;
        int max = consumed == 1 ? high : 0xBF;
        if (next < min || next > max) {
          valid = false;
        } else {
          codePoint = codePoint << 6 | next & 0x3F;
          consumed++;
        }
      }
      if (valid) {
        out.appendCodePoint(codePoint);
      } else {
        out.append(REPLACEMENT); // one per maximal ill-formed subpart, as TextDecoder does
      }
      i += consumed;
    }
    return out.toString();
  }

  private static boolean hasSurrogate(String text) {
    for (int i = 0; i < text.length(); i++) {
      if (Character.isSurrogate(text.charAt(i))) {
        return true;
      }
    }
    return false;
  }

  private static byte[] encodeSlow(String text, boolean keepLoneSurrogates) {
    ByteSink out = new ByteSink();
    int i = 0;
    while (i < text.length()) {
      char c = text.charAt(i);
      int codePoint;
      if (Character.isHighSurrogate(c) && i + 1 < text.length()
          && Character.isLowSurrogate(text.charAt(i + 1))) {
        codePoint = Character.toCodePoint(c, text.charAt(i + 1));
        i += 2;
      } else {
        codePoint = Character.isSurrogate(c) && !keepLoneSurrogates ? REPLACEMENT : c;
        i++;
      }
      writeCodePoint(out, codePoint);
    }
    return out.toByteArray();
  }

  private static void writeCodePoint(ByteSink out, int codePoint) {
    if (codePoint < 0x80) {
      out.write(codePoint);
    } else if (codePoint < 0x800) {
      out.write(0xC0 | codePoint >> 6);
      out.write(0x80 | codePoint & 0x3F);
    } else if (codePoint < 0x10000) {
      out.write(0xE0 | codePoint >> 12);
      out.write(0x80 | codePoint >> 6 & 0x3F);
      out.write(0x80 | codePoint & 0x3F);
    } else {
      out.write(0xF0 | codePoint >> 18);
      out.write(0x80 | codePoint >> 12 & 0x3F);
      out.write(0x80 | codePoint >> 6 & 0x3F);
      out.write(0x80 | codePoint & 0x3F);
    }
  }
}
