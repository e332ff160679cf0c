package io.rivet4j.api;

import java.util.List;
import java.util.Optional;

/**
 * The actor's key-value store ({@code c.kv()}), as RivetKit's {@code c.kv}. Writes belong to the
 * current turn: they commit atomically with its state change, before its reply leaves. Keys order
 * as unsigned bytes; text keys are their UTF-8 bytes.
 *
 * <p>Limits: keys ≤ 2 KiB ({@code kv.key_too_large}), values ≤ 128 KiB ({@code
 * kv.value_too_large}), ≤ 128 keys per batch ({@code kv.batch_too_large}).
 */
public interface Kv {
  /** One entry. */
  record Entry(byte[] key, byte[] value) {
    public String keyText() {
      return new String(key, java.nio.charset.StandardCharsets.UTF_8);
    }

    public String valueText() {
      return new String(value, java.nio.charset.StandardCharsets.UTF_8);
    }
  }

  /** Listing options: at most {@code limit} entries (default 16,384), optionally descending. */
  record ListOptions(int limit, boolean reverse) {
    public static final ListOptions DEFAULT = new ListOptions(16_384, false);

    public ListOptions reversed() {
      return new ListOptions(limit, true);
    }

    public ListOptions withLimit(int n) {
      return new ListOptions(n, reverse);
    }
  }

  Optional<byte[]> get(byte[] key);

  Optional<String> get(String key);

  void put(byte[] key, byte[] value);

  void put(String key, String value);

  void delete(byte[] key);

  void delete(String key);

  /** Deletes every key in [{@code start}, {@code end}). */
  void deleteRange(byte[] start, byte[] end);

  List<Optional<byte[]>> batchGet(List<byte[]> keys);

  void batchPut(List<Entry> entries);

  void batchDelete(List<byte[]> keys);

  /** Entries whose key starts with {@code prefix}. */
  List<Entry> listPrefix(byte[] prefix, ListOptions options);

  List<Entry> listPrefix(String prefix, ListOptions options);

  /** Entries with {@code start ≤ key < end}. */
  List<Entry> listRange(byte[] start, byte[] end, ListOptions options);
}
