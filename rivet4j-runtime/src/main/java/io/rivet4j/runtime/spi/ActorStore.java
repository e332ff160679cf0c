package io.rivet4j.runtime.spi;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Where the runtime keeps actors: a directory (id ↔ name+key), one KV space per actor (state,
 * schedules and user KV live there under reserved prefixes), and one alarm time per actor. Shaped
 * so that the embedded store and a Rivet Engine backend can both implement it.
 *
 * <p>Contract (checked by the storage contract test suite):
 * <ul>
 *   <li>{@link #commit} applies a batch atomically and in order; its future completes only when the
 *       batch is durable (fsync'ed), or exceptionally (then nothing of the batch was applied).
 *   <li>Batches committed from one thread apply in submission order.
 *   <li>A read that starts after a commit future completed sees that commit.
 *   <li>Reads are thread-safe and may run concurrently with commits.
 *   <li>Limits: keys ≤ 2 KiB, values ≤ 128 KiB are the runtime's; the store accepts at least that.
 * </ul>
 */
public interface ActorStore extends AutoCloseable {
  Optional<ActorRecord> findById(String actorId);

  Optional<ActorRecord> findByKey(String name, String key);

  Optional<byte[]> get(String actorId, byte[] key);

  /**
   * Entries with {@code start ≤ key < end} (unsigned byte order), at most {@code limit}, ascending
   * or, with {@code reverse}, descending.
   */
  List<KvEntry> list(String actorId, byte[] start, byte[] end, int limit, boolean reverse);

  /** Applies {@code batch} atomically; completes when durable. Never blocks the caller on I/O. */
  CompletableFuture<Void> commit(WriteBatch batch);

  /** Every alarm that is set, for scheduling wake-ups at start. */
  List<Alarm> alarms();

  /**
   * A hint that {@code actorId} went to sleep: what the store caches for it may be dropped, so a
   * sleeping actor costs no memory. Never changes what reads or commits see; cheap, never blocks.
   */
  default void forget(String actorId) {
  }

  /** Number of actors in the directory (for diagnostics and tests). */
  long actorCount();

  /** Completes pending commits, then releases files. Idempotent. */
  @Override
  void close();
}
