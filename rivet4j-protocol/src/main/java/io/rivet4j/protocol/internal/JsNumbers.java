package io.rivet4j.protocol.internal;

import java.math.BigDecimal;

/** JavaScript number semantics: which numbers Java sees as integers, and how JavaScript prints. */
public final class JsNumbers {
  /** {@code Number.MAX_SAFE_INTEGER} = 2^53 − 1. */
  public static final long MAX_SAFE_INTEGER = (1L << 53) - 1;

  private JsNumbers() {}

  /** True when JavaScript holds {@code value} exactly ({@code Number.isSafeInteger}). */
  public static boolean isSafeInteger(long value) {
    return value >= -MAX_SAFE_INTEGER && value <= MAX_SAFE_INTEGER;
  }

  /**
   * A JavaScript number as Java sees it: a {@link Long} when it is a safe integer (−0 excepted),
   * otherwise a {@link Double} (fractions, −0, NaN, ±Infinity, magnitudes beyond 2^53 − 1).
   */
  public static Object fromDouble(double value) {
    boolean negativeZero = value == 0 && Double.doubleToRawLongBits(value) != 0;
    if (value == Math.rint(value) && Math.abs(value) <= MAX_SAFE_INTEGER && !negativeZero) {
      return (long) value;
    }
    return value;
  }

  /** {@code Number.prototype.toString()} (ECMAScript Number::toString, radix 10). */
  public static String toJsString(double value) {
    if (Double.isNaN(value)) {
      return "NaN";
    }
    if (Double.isInfinite(value)) {
      return value > 0 ? "Infinity" : "-Infinity";
    }
    if (value == Math.rint(value) && Math.abs(value) <= MAX_SAFE_INTEGER) {
      return Long.toString((long) value); // exact digits; also prints −0 as "0", like JavaScript
    }
    StringBuilder out = new StringBuilder(24);
    double magnitude = value;
    if (value < 0) {
      out.append('-');
      magnitude = -value;
    }
    BigDecimal shortest = new BigDecimal(Double.toString(magnitude)).stripTrailingZeros();
    String digits = shortest.unscaledValue().toString();
    int exponent = digits.length() - shortest.scale();
    if (digits.length() == 2) {
      // Java prefers two digits where one would round-trip (4.9E-324); JavaScript takes one.
      String single = singleDigit(magnitude, digits, exponent);
      if (single != null) {
        exponent += single.length() - 1;
        digits = single.substring(0, 1);
      }
    }
    appendDigits(out, digits, exponent);
    return out.toString();
  }

  /** The 1-digit decimal closest to {@code magnitude} that parses back to it, or null. */
  private static String singleDigit(double magnitude, String digits, int exponent) {
    int low = digits.charAt(0) - '0';
    String lowText = Integer.toString(low);
    String highText = Integer.toString(low + 1); // "10" carries into the next power of ten
    boolean lowOk = roundTrips(lowText, exponent, magnitude);
    boolean highOk = roundTrips(highText, exponent, magnitude);
    if (lowOk && highOk) {
      BigDecimal exact = new BigDecimal(magnitude);
      BigDecimal lowDistance = exact.subtract(decimal(lowText, exponent)).abs();
      BigDecimal highDistance = decimal(highText, exponent).subtract(exact).abs();
      int order = lowDistance.compareTo(highDistance);
      if (order != 0) {
        return order < 0 ? lowText : highText;
      }
      return low % 2 == 0 ? lowText : highText;
    }
    return lowOk ? lowText : highOk ? highText : null;
  }

  private static boolean roundTrips(String digit, int exponent, double magnitude) {
    return decimal(digit, exponent).doubleValue() == magnitude;
  }

  private static BigDecimal decimal(String digit, int exponent) {
    // digit × 10^(exponent − 1): the candidate has one significant digit before the point
    return new BigDecimal(digit).scaleByPowerOfTen(exponent - 1);
  }

  private static void appendDigits(StringBuilder out, String digits, int exponent) {
    int k = digits.length();
    if (k <= exponent && exponent <= 21) {
      out.append(digits).append("0".repeat(exponent - k));
    } else if (0 < exponent && exponent <= 21) {
      out.append(digits, 0, exponent).append('.').append(digits, exponent, k);
    } else if (-6 < exponent && exponent <= 0) {
      out.append("0.").append("0".repeat(-exponent)).append(digits);
    } else {
      int shown = exponent - 1;
      out.append(digits.charAt(0));
      if (k > 1) {
        out.append('.').append(digits, 1, k);
      }
      out.append('e').append(shown >= 0 ? '+' : '-').append(Math.abs(shown));
    }
  }
}
