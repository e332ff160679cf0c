package io.rivet4j.runtime.spi;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

/**
 * An in-memory {@link ActorStore} for tests: same contract as the embedded store, nothing on disk.
 *
 * <p>Concurrency: every method runs under one monitor; {@link #commit} applies the batch on the
 * caller's thread and returns a completed future, so batches apply in the order of the calls.
 * <p>Lifecycle: OPEN → CLOSED; after {@link #close} commits fail and reads throw
 * {@link StoreException} "store is closed".
 * <p>Persistence: none; a failing batch is undone from an undo log before its future fails.
 */
public final class MemoryStore implements ActorStore {
  private static final Comparator<byte[]> UNSIGNED = Arrays::compareUnsigned;

  private record NameKey(String name, String key) {}

  private final Map<String, ActorRecord> actors = new HashMap<>();
  private final Map<NameKey, String> idsByKey = new HashMap<>();
  private final Map<String, Long> alarms = new HashMap<>();
  private final Map<String, NavigableMap<byte[], byte[]>> kv = new HashMap<>();
  private boolean closed;

  @Override
  public synchronized Optional<ActorRecord> findById(String actorId) {
    Objects.requireNonNull(actorId, "actorId");
    ensureOpen();
    return Optional.ofNullable(actors.get(actorId)).map(MemoryStore::copy);
  }

  @Override
  public synchronized Optional<ActorRecord> findByKey(String name, String key) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(key, "key");
    ensureOpen();
    return Optional.ofNullable(idsByKey.get(new NameKey(name, key)))
        .map(actors::get)
        .map(MemoryStore::copy);
  }

  @Override
  public synchronized Optional<byte[]> get(String actorId, byte[] key) {
    Objects.requireNonNull(actorId, "actorId");
    Objects.requireNonNull(key, "key");
    ensureOpen();
    NavigableMap<byte[], byte[]> space = kv.get(actorId);
    return space == null
        ? Optional.empty()
        : Optional.ofNullable(space.get(key)).map(byte[]::clone);
  }

  @Override
  public synchronized List<KvEntry> list(
      String actorId, byte[] start, byte[] end, int limit, boolean reverse) {
    Objects.requireNonNull(actorId, "actorId");
    Objects.requireNonNull(start, "start");
    Objects.requireNonNull(end, "end");
    if (limit < 0) {
      throw new IllegalArgumentException("limit must be ≥ 0, got " + limit);
    }
    ensureOpen();
    NavigableMap<byte[], byte[]> space = kv.get(actorId);
    if (space == null || limit == 0 || UNSIGNED.compare(start, end) >= 0) {
      return List.of();
    }
    NavigableMap<byte[], byte[]> range = space.subMap(start, true, end, false);
    if (reverse) {
      range = range.descendingMap();
    }
    List<KvEntry> out = new ArrayList<>();
    for (Map.Entry<byte[], byte[]> e : range.entrySet()) {
      if (out.size() == limit) {
        break;
      }
      out.add(new KvEntry(e.getKey().clone(), e.getValue().clone()));
    }
    return out;
  }

  @Override
  public synchronized CompletableFuture<Void> commit(WriteBatch batch) {
    Objects.requireNonNull(batch, "batch");
    if (closed) {
      return CompletableFuture.failedFuture(new StoreException("store is closed", null));
    }
    Deque<Runnable> undo = new ArrayDeque<>();
    try {
      for (WriteOp op : batch.ops()) {
        apply(op, undo);
      }
      return CompletableFuture.completedFuture(null);
    } catch (StoreException e) {
      while (!undo.isEmpty()) {
        undo.pop().run();
      }
      return CompletableFuture.failedFuture(e);
    }
  }

  @Override
  public synchronized List<Alarm> alarms() {
    ensureOpen();
    return alarms.entrySet().stream()
        .map(e -> new Alarm(e.getKey(), actors.get(e.getKey()).name(), e.getValue()))
        .sorted(Comparator.comparingLong(Alarm::wakeAtMillis).thenComparing(Alarm::actorId))
        .toList();
  }

  @Override
  public synchronized long actorCount() {
    ensureOpen();
    return actors.size();
  }

  @Override
  public synchronized void close() {
    closed = true;
  }

  private void apply(WriteOp op, Deque<Runnable> undo) {
    switch (op) {
      case WriteOp.CreateActor c -> {
        ActorRecord a = copy(c.actor());
        NameKey nk = new NameKey(a.name(), a.key());
        String holder = idsByKey.get(nk);
        if (holder != null) {
          throw new DuplicateKeyException("an actor named \"" + a.name() + "\" with key \""
              + a.key() + "\" already exists (id " + holder + ")", holder);
        }
        if (actors.containsKey(a.actorId())) {
          throw new DuplicateKeyException(
              "an actor with id " + a.actorId() + " already exists", a.actorId());
        }
        actors.put(a.actorId(), a);
        idsByKey.put(nk, a.actorId());
        undo.push(() -> {
          actors.remove(a.actorId());
          idsByKey.remove(nk);
        });
      }
      case WriteOp.Put p -> {
        NavigableMap<byte[], byte[]> space = space(p.actorId(), undo);
        byte[] key = p.key().clone();
        byte[] previous = space.put(key, p.value().clone());
        undo.push(() -> restore(space, key, previous));
      }
      case WriteOp.Delete d -> {
        NavigableMap<byte[], byte[]> space = space(d.actorId(), undo);
        byte[] key = d.key().clone();
        byte[] previous = space.remove(key);
        undo.push(() -> restore(space, key, previous));
      }
      case WriteOp.DeleteRange r -> {
        NavigableMap<byte[], byte[]> space = space(r.actorId(), undo);
        if (UNSIGNED.compare(r.start(), r.end()) < 0) {
          NavigableMap<byte[], byte[]> view = space.subMap(r.start(), true, r.end(), false);
          NavigableMap<byte[], byte[]> removed = new TreeMap<>(view);
          view.clear();
          undo.push(() -> space.putAll(removed));
        }
      }
      case WriteOp.SetAlarm a -> {
        if (a.wakeAtMillis() < -1) {
          throw new StoreException("alarm time must be ≥ 0 (set) or -1 (clear), got "
              + a.wakeAtMillis(), null);
        }
        requireActor(a.actorId());
        Long previous = a.wakeAtMillis() == -1
            ? alarms.remove(a.actorId())
            : alarms.put(a.actorId(), a.wakeAtMillis());
        undo.push(() -> {
          if (previous == null) {
            alarms.remove(a.actorId());
          } else {
            alarms.put(a.actorId(), previous);
          }
        });
      }
      case WriteOp.DestroyActor d -> {
        ActorRecord a = actors.remove(d.actorId());
        if (a != null) {
          NameKey nk = new NameKey(a.name(), a.key());
          idsByKey.remove(nk);
          Long alarm = alarms.remove(a.actorId());
          NavigableMap<byte[], byte[]> space = kv.remove(a.actorId());
          undo.push(() -> {
            actors.put(a.actorId(), a);
            idsByKey.put(nk, a.actorId());
            if (alarm != null) {
              alarms.put(a.actorId(), alarm);
            }
            if (space != null) {
              kv.put(a.actorId(), space);
            }
          });
        }
      }
    }
  }

  /** The actor's KV space; KV and alarms may only be written for an actor in the directory. */
  private NavigableMap<byte[], byte[]> space(String actorId, Deque<Runnable> undo) {
    requireActor(actorId);
    NavigableMap<byte[], byte[]> space = kv.get(actorId);
    if (space == null) {
      NavigableMap<byte[], byte[]> created = new TreeMap<>(UNSIGNED);
      kv.put(actorId, created);
      undo.push(() -> kv.remove(actorId, created));
      space = created;
    }
    return space;
  }

  private void requireActor(String actorId) {
    if (!actors.containsKey(actorId)) {
      throw new StoreException("actor " + actorId + " does not exist", null);
    }
  }

  private static void restore(NavigableMap<byte[], byte[]> space, byte[] key, byte[] previous) {
    if (previous == null) {
      space.remove(key);
    } else {
      space.put(key, previous);
    }
  }

  private void ensureOpen() {
    if (closed) {
      throw new StoreException("store is closed", null);
    }
  }

  private static ActorRecord copy(ActorRecord a) {
    return new ActorRecord(a.actorId(), a.name(), a.key(), a.createdAtMillis(),
        a.input() == null ? null : a.input().clone());
  }
}
