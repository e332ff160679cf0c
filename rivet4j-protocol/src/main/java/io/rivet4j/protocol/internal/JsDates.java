package io.rivet4j.protocol.internal;

import io.rivet4j.protocol.ProtocolException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;

/** JavaScript {@code Date} semantics: millisecond precision within ±8.64e15 ms of the epoch. */
final class JsDates {
  private static final long MAX_MILLIS = 8_640_000_000_000_000L;
  private static final Instant EARLIEST = Instant.ofEpochMilli(-MAX_MILLIS);
  private static final Instant LATEST = Instant.ofEpochMilli(MAX_MILLIS);

  private JsDates() {}

  /** Milliseconds since the epoch, or a ProtocolException when JavaScript cannot hold it. */
  static long toEpochMilli(Instant instant) {
    if (instant.isBefore(EARLIEST) || instant.isAfter(LATEST)) {
      throw new ProtocolException(ProtocolException.INVALID_VALUE,
          "Instant " + instant + " is outside the range of a JavaScript Date (±8.64e15 ms)");
    }
    return instant.toEpochMilli();
  }

  /** {@code Date.prototype.toISOString()}: {@code 2024-01-02T03:04:05.006Z}. */
  static String toIsoString(Instant instant) {
    long millis = toEpochMilli(instant);
    LocalDateTime time = LocalDateTime.ofEpochSecond(Math.floorDiv(millis, 1000L),
        (int) Math.floorMod(millis, 1000L) * 1_000_000, ZoneOffset.UTC);
    int year = time.getYear();
    String yearText = year >= 0 && year <= 9999
        ? String.format("%04d", year)
        : (year < 0 ? "-" : "+") + String.format("%06d", Math.abs(year));
    return yearText + String.format("-%02d-%02dT%02d:%02d:%02d.%03dZ", time.getMonthValue(),
        time.getDayOfMonth(), time.getHour(), time.getMinute(), time.getSecond(),
        time.getNano() / 1_000_000);
  }

  /** CBOR tag 1 (epoch seconds), decoded as cbor-x does: {@code new Date(round(s * 1000))}. */
  static Instant fromEpochSeconds(double seconds) {
    double millis = Math.floor(seconds * 1000 + 0.5); // JavaScript Math.round
    if (!(Math.abs(millis) <= MAX_MILLIS)) {
      throw new MalformedException("CBOR date (tag 1) is outside the JavaScript Date range");
    }
    return Instant.ofEpochMilli((long) millis);
  }

  /** CBOR tag 0 (RFC 3339 text). */
  static Instant fromText(String text) {
    Instant instant;
    try {
      instant = OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeParseException e) {
      throw new MalformedException("CBOR date (tag 0) is not an RFC 3339 date-time");
    }
    if (instant.isBefore(EARLIEST) || instant.isAfter(LATEST)) {
      throw new MalformedException("CBOR date (tag 0) is outside the JavaScript Date range");
    }
    return instant.truncatedTo(ChronoUnit.MILLIS);
  }
}
