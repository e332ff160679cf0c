package io.rivet4j.runtime.internal;

import io.rivet4j.api.Kv;
import io.rivet4j.api.RivetError;
import io.rivet4j.runtime.spi.KvEntry;
import io.rivet4j.runtime.spi.WriteOp;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * {@code c.kv()}: user keys live in the actor's KV space under the prefix {@code 0x04}. Writes join
 * the current turn's batch, so they commit atomically with its state and before its reply.
 *
 * <p>Concurrency: used only from the actor's turns, except {@link #durable}, which the store's
 * completion thread calls; it only publishes a sequence number.
 *
 * <p>Read-your-writes: writes whose batch is not yet durable are kept in an overlay that reads
 * consult first; an entry leaves the overlay once its batch is durable (and so visible in the
 * store). A batch that fails puts its entries back into the next batch.
 */
final class ActorKv implements Kv {
  static final byte PREFIX = 0x04;
  static final int MAX_KEY = 2048;
  static final int MAX_VALUE = 128 * 1024;
  static final int MAX_BATCH = 128;
  private static final byte[] PREFIX_END = {PREFIX + 1};

  /** A write not yet durable: {@code value == null} is a delete. */
  private record Pending(byte[] value, long seq) {}

  private final ActorCell cell;
  private final TreeMap<byte[], Pending> overlay = new TreeMap<>(Arrays::compareUnsigned);
  private volatile long durableSeq;

  ActorKv(ActorCell cell) {
    this.cell = cell;
  }

  // ---------------------------------------------------------------- overlay bookkeeping

  boolean hasPending(long seq) {
    for (Pending p : overlay.values()) {
      if (p.seq() == seq) {
        return true;
      }
    }
    return false;
  }

  /** The batch with sequence {@code seq} (and all before it) is durable. */
  void durable(long seq) {
    if (seq > durableSeq) {
      durableSeq = seq;
    }
  }

  /** The batch {@code seq} failed: write its entries again in the current turn. */
  void failed(long seq) {
    for (Map.Entry<byte[], Pending> e : overlay.entrySet()) {
      if (e.getValue().seq() == seq) {
        record(e.getKey(), e.getValue().value());
      }
    }
  }

  private void prune() {
    long d = durableSeq;
    overlay.values().removeIf(p -> p.seq() <= d);
  }

  private void record(byte[] storeKey, byte[] value) {
    long seq = cell.nextCommitSeq();
    overlay.put(storeKey, new Pending(value, seq));
    cell.addWrite(value == null ? new WriteOp.Delete(cell.record.actorId(), storeKey)
        : new WriteOp.Put(cell.record.actorId(), storeKey, value));
  }

  // ---------------------------------------------------------------- checks

  private static byte[] storeKey(byte[] key) {
    if (key.length > MAX_KEY) {
      throw new RivetError("kv", "key_too_large", "a KV key is " + key.length
          + " bytes; the limit is " + MAX_KEY);
    }
    byte[] k = new byte[key.length + 1];
    k[0] = PREFIX;
    System.arraycopy(key, 0, k, 1, key.length);
    return k;
  }

  private static byte[] userKey(byte[] storeKey) {
    return Arrays.copyOfRange(storeKey, 1, storeKey.length);
  }

  private static void checkValue(byte[] value) {
    if (value.length > MAX_VALUE) {
      throw new RivetError("kv", "value_too_large", "a KV value is " + value.length
          + " bytes; the limit is " + MAX_VALUE);
    }
  }

  private static void checkBatch(int size) {
    if (size > MAX_BATCH) {
      throw new RivetError("kv", "batch_too_large", "a KV batch has " + size
          + " keys; the limit is " + MAX_BATCH + ": split it");
    }
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  // ---------------------------------------------------------------- Kv

  @Override
  public Optional<byte[]> get(byte[] key) {
    byte[] k = storeKey(key);
    prune();
    Pending p = overlay.get(k);
    if (p != null) {
      return Optional.ofNullable(p.value()).map(byte[]::clone);
    }
    return cell.node.store.get(cell.record.actorId(), k);
  }

  @Override
  public Optional<String> get(String key) {
    return get(utf8(key)).map(v -> new String(v, StandardCharsets.UTF_8));
  }

  @Override
  public void put(byte[] key, byte[] value) {
    byte[] k = storeKey(key);
    checkValue(value);
    record(k, value.clone());
  }

  @Override
  public void put(String key, String value) {
    put(utf8(key), utf8(value));
  }

  @Override
  public void delete(byte[] key) {
    record(storeKey(key), null);
  }

  @Override
  public void delete(String key) {
    delete(utf8(key));
  }

  @Override
  public void deleteRange(byte[] start, byte[] end) {
    for (Entry e : listRange(start, end, new ListOptions(Integer.MAX_VALUE, false))) {
      delete(e.key());
    }
  }

  @Override
  public List<Optional<byte[]>> batchGet(List<byte[]> keys) {
    checkBatch(keys.size());
    List<Optional<byte[]>> out = new ArrayList<>(keys.size());
    for (byte[] k : keys) {
      out.add(get(k));
    }
    return out;
  }

  @Override
  public void batchPut(List<Entry> entries) {
    checkBatch(entries.size());
    for (Entry e : entries) {
      storeKey(e.key());
      checkValue(e.value());
    }
    for (Entry e : entries) {
      put(e.key(), e.value());
    }
  }

  @Override
  public void batchDelete(List<byte[]> keys) {
    checkBatch(keys.size());
    for (byte[] k : keys) {
      storeKey(k);
    }
    for (byte[] k : keys) {
      delete(k);
    }
  }

  @Override
  public List<Entry> listPrefix(byte[] prefix, ListOptions options) {
    byte[] start = storeKey(prefix);
    byte[] end = prefixEnd(start);
    return list(start, end, options);
  }

  @Override
  public List<Entry> listPrefix(String prefix, ListOptions options) {
    return listPrefix(utf8(prefix), options);
  }

  @Override
  public List<Entry> listRange(byte[] start, byte[] end, ListOptions options) {
    return list(storeKey(start), storeKey(end), options);
  }

  /** The smallest key greater than every key starting with {@code prefix}. */
  private static byte[] prefixEnd(byte[] prefix) {
    for (int i = prefix.length - 1; i >= 0; i--) {
      if (prefix[i] != (byte) 0xFF) {
        byte[] end = Arrays.copyOf(prefix, i + 1);
        end[i]++;
        return end;
      }
    }
    return PREFIX_END; // unreachable: the prefix starts with 0x04
  }

  private List<Entry> list(byte[] start, byte[] end, ListOptions options) {
    if (options.limit() < 0) {
      throw new IllegalArgumentException("limit must be 0 or more, got " + options.limit());
    }
    if (options.limit() == 0 || Arrays.compareUnsigned(start, end) >= 0) {
      return List.of();
    }
    prune();
    Map<byte[], Pending> pending = overlay.subMap(start, true, end, false);
    int fetch = (int) Math.min(Integer.MAX_VALUE, (long) options.limit() + pending.size());
    TreeMap<byte[], byte[]> merged = new TreeMap<>(Arrays::compareUnsigned);
    for (KvEntry e : cell.node.store.list(cell.record.actorId(), start, end, fetch,
        options.reverse())) {
      merged.put(e.key(), e.value());
    }
    for (Map.Entry<byte[], Pending> p : pending.entrySet()) {
      if (p.getValue().value() == null) {
        merged.remove(p.getKey());
      } else {
        merged.put(p.getKey(), p.getValue().value());
      }
    }
    List<Entry> out = new ArrayList<>(Math.min(merged.size(), options.limit()));
    Iterator<Map.Entry<byte[], byte[]>> it = options.reverse()
        ? merged.descendingMap().entrySet().iterator() : merged.entrySet().iterator();
    while (it.hasNext() && out.size() < options.limit()) {
      Map.Entry<byte[], byte[]> e = it.next();
      out.add(new Entry(userKey(e.getKey()), e.getValue().clone()));
    }
    return out;
  }
}
