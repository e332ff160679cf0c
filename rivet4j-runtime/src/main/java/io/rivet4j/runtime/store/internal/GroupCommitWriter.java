package io.rivet4j.runtime.store.internal;

import io.rivet4j.runtime.spi.ActorRecord;
import io.rivet4j.runtime.spi.DuplicateKeyException;
import io.rivet4j.runtime.spi.StoreException;
import io.rivet4j.runtime.spi.WriteBatch;
import io.rivet4j.runtime.spi.WriteOp;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies write batches to the catalog with group commit.
 *
 * <p>Concurrency: one platform thread, the writer, owns the write connection and every statement
 * on it; {@link #submit} only enqueues under {@code lock} and never touches SQLite. A second
 * platform thread, the completer, completes the futures, so callers' continuations never run on
 * (and never stall) the writer. Batches apply in the order in which their {@code submit} calls
 * took the lock.
 * <p>Lifecycle: RUNNING → DRAINING ({@link #shutdown}: submit refuses with "store is closed", any
 * linger ends, the queue is committed) → STOPPED (both threads exited). The connection outlives the
 * threads until {@link #checkpointAndClose}. A failing batch or transaction never stops the writer.
 * <p>Persistence: a group is one transaction with one savepoint per batch; a batch that fails is
 * rolled back to its savepoint alone. Futures complete in submission order, and successfully only
 * after the group's COMMIT returned, which with {@code synchronous=FULL} means the WAL is fsync'ed.
 */
public final class GroupCommitWriter {
  private static final Logger log = LoggerFactory.getLogger(GroupCommitWriter.class);
  private static final List<Pending> STOP = List.of();

  private final Connection connection;
  private final int maxGroupOps;
  private final int maxPendingBatches;
  private final long lingerNanos;

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition queued = lock.newCondition();
  private final ArrayDeque<Pending> queue = new ArrayDeque<>(); // guarded by lock
  private int pending; // submitted and not yet completed; guarded by lock
  private boolean draining; // guarded by lock
  private final ArrayDeque<String> forgotten = new ArrayDeque<>(); // guarded by lock; see existing
  private StoreException stoppedBy; // guarded by lock; set if the writer died of an Error

  /** Groups handed from the writer to the completer; holds at most maxPendingBatches batches. */
  private final LinkedBlockingQueue<List<Pending>> completions = new LinkedBlockingQueue<>();
  private final Thread writer;
  private final Thread completer;
  private final Statements sql;

  // written by the writer thread only, read by anyone
  private volatile long transactions;
  private volatile long batchesCommitted;
  private volatile long batchesFailed;
  private volatile long opsCommitted;

  public GroupCommitWriter(
      Connection connection,
      String threadName,
      long lingerNanos,
      int maxGroupOps,
      int maxPendingBatches)
      throws SQLException {
    this.connection = connection;
    this.lingerNanos = lingerNanos;
    this.maxGroupOps = maxGroupOps;
    this.maxPendingBatches = maxPendingBatches;
    this.sql = new Statements(connection);
    this.writer = Thread.ofPlatform().name(threadName).daemon(true).unstarted(this::runWriter);
    this.completer = Thread.ofPlatform().name(threadName + "-completer").daemon(true)
        .unstarted(this::runCompleter);
  }

  public void start() {
    writer.start();
    completer.start();
  }

  /** Enqueues {@code batch}; the returned future completes once it is durable, or fails. */
  public CompletableFuture<Void> submit(WriteBatch batch) {
    Pending p = new Pending(batch);
    lock.lock();
    try {
      if (draining) {
        return CompletableFuture.failedFuture(
            stoppedBy != null ? stoppedBy : new StoreException("store is closed", null));
      }
      if (pending >= maxPendingBatches) {
        return CompletableFuture.failedFuture(new StoreException("commit queue is full ("
            + pending + " batches pending): the disk cannot keep up with the write rate; slow"
            + " down writers or raise EmbeddedStoreOptions.maxPendingBatches", null));
      }
      pending++;
      queue.addLast(p);
      queued.signal();
    } finally {
      lock.unlock();
    }
    return p.future;
  }

  /**
   * Stops accepting batches, commits what is queued and waits until both threads exited, so every
   * future returned by {@link #submit} is complete — unless called from a future's continuation
   * (the completer thread), which cannot wait for itself.
   */
  public void shutdown() {
    lock.lock();
    try {
      draining = true;
      queued.signalAll();
    } finally {
      lock.unlock();
    }
    joinUninterruptibly(writer);
    if (Thread.currentThread() != completer) {
      joinUninterruptibly(completer);
    }
  }

  /** After {@link #shutdown}: folds the WAL into the database file and closes the connection. */
  public void checkpointAndClose() {
    try (Statement s = connection.createStatement()) {
      s.execute("PRAGMA wal_checkpoint(TRUNCATE)");
    } catch (SQLException e) {
      log.warn("WAL checkpoint at close failed; SQLite will replay the WAL at next open", e);
    }
    sql.close();
    Catalog.closeQuietly(connection);
  }

  /** Whether the caller runs inside a commit future's continuation. */
  public boolean onCompleterThread() {
    return Thread.currentThread() == completer;
  }

  public long transactions() {
    return transactions;
  }

  public long batchesCommitted() {
    return batchesCommitted;
  }

  public long batchesFailed() {
    return batchesFailed;
  }

  public long opsCommitted() {
    return opsCommitted;
  }

  private void runWriter() {
    List<Pending> group = null;
    try {
      while ((group = takeGroup()) != null) {
        runGroup(group);
        completions.add(group);
        group = null;
      }
    } catch (Throwable t) {
      // only an Error (for example OutOfMemoryError) gets here: fail everything not yet completed
      log.error("store writer stopped unexpectedly; failing queued commits", t);
      StoreException e = new StoreException("store writer stopped: " + t, t);
      List<Pending> rest = new ArrayList<>();
      if (group != null) {
        try {
          sql.rollback.execute();
        } catch (Throwable ignored) {
          // no transaction open, or the connection is unusable: nothing was committed either way
        }
        group.forEach(p -> p.error = e);
        rest.addAll(group);
      }
      lock.lock();
      try {
        stoppedBy = e;
        draining = true;
        queue.forEach(p -> p.error = e);
        rest.addAll(queue);
        queue.clear();
      } finally {
        lock.unlock();
      }
      completions.add(rest);
    } finally {
      completions.add(STOP);
    }
  }

  /** Waits for work; returns the next group, or null when draining and nothing is left. */
  private List<Pending> takeGroup() {
    List<Pending> group = new ArrayList<>();
    lock.lock();
    try {
      while (queue.isEmpty()) {
        dropForgotten();
        if (draining) {
          return null;
        }
        queued.awaitUninterruptibly();
      }
      dropForgotten();
      int ops = drain(group, 0);
      if (lingerNanos > 0) {
        long deadline = System.nanoTime() + lingerNanos;
        while (ops < maxGroupOps && !draining) {
          long left = deadline - System.nanoTime();
          if (left <= 0) {
            break;
          }
          if (!queue.isEmpty()) {
            break; // the next batch does not fit in this group
          }
          try {
            queued.awaitNanos(left);
          } catch (InterruptedException e) {
            break; // nobody interrupts the writer; if someone does, stop lingering
          }
          ops = drain(group, ops);
        }
      }
    } finally {
      lock.unlock();
    }
    return group;
  }

  /** Moves batches from the queue into {@code group} while it holds fewer than maxGroupOps ops. */
  private int drain(List<Pending> group, int ops) {
    while (!queue.isEmpty() && (group.isEmpty() || ops < maxGroupOps)) {
      Pending p = queue.peekFirst();
      if (!group.isEmpty() && ops + p.weight() > maxGroupOps) {
        break;
      }
      queue.pollFirst();
      group.add(p);
      ops += p.weight();
    }
    return ops;
  }

  /** Drops {@code actorId} from the writer's cache of existing actors (soon, on the writer). */
  public void forget(String actorId) {
    lock.lock();
    try {
      forgotten.add(actorId);
      queued.signal();
    } finally {
      lock.unlock();
    }
  }

  /** Writer thread, holding {@code lock}. */
  private void dropForgotten() {
    for (String id; (id = forgotten.poll()) != null; ) {
      existing.remove(id);
    }
  }

  private void runGroup(List<Pending> group) {
    try {
      sql.begin.execute();
    } catch (SQLException e) {
      failAll(group, "could not start a write transaction on catalog.db (is another process"
          + " writing to it?): " + e.getMessage(), e);
      return;
    }
    for (Pending p : group) {
      try {
        sql.savepoint.execute();
      } catch (SQLException e) {
        abort(group, e);
        return;
      }
      try {
        apply(p.batch);
        sql.release.execute();
        continue;
      } catch (StoreException e) {
        p.error = e;
        existing.clear();
      } catch (SQLException | RuntimeException e) {
        p.error = new StoreException("could not apply a write batch: " + e.getMessage(), e);
        existing.clear();
      }
      try {
        sql.rollbackTo.execute();
        sql.release.execute();
      } catch (SQLException e) {
        abort(group, e);
        return;
      }
    }
    try {
      sql.commit.execute();
    } catch (SQLException e) {
      abort(group, e);
      return;
    }
    long ok = 0;
    long ops = 0;
    for (Pending p : group) {
      if (p.error == null) {
        ok++;
        ops += p.batch.ops().size();
      }
    }
    transactions++;
    batchesCommitted += ok;
    batchesFailed += group.size() - ok;
    opsCommitted += ops;
  }

  /** The transaction cannot go on: roll it all back and fail every batch of the group. */
  private void abort(List<Pending> group, SQLException cause) {
    existing.clear();
    try {
      sql.rollback.execute();
    } catch (SQLException e) {
      cause.addSuppressed(e);
    }
    failAll(group, "write transaction on catalog.db failed and was rolled back: "
        + cause.getMessage(), cause);
  }

  private void failAll(List<Pending> group, String message, SQLException cause) {
    log.warn("{} ({} batches failed)", message, group.size());
    StoreException error = new StoreException(message, cause);
    for (Pending p : group) {
      if (p.error == null) {
        p.error = error;
      }
    }
    batchesFailed += group.size();
  }

  private void apply(WriteBatch batch) throws SQLException {
    Set<String> known = new HashSet<>(); // actors known to exist at this point of the batch
    for (WriteOp op : batch.ops()) {
      switch (op) {
        case WriteOp.CreateActor c -> {
          createActor(c.actor());
          known.add(c.actorId());
        }
        case WriteOp.Put p -> {
          requireActor(p.actorId(), known);
          sql.put.setString(1, p.actorId());
          sql.put.setBytes(2, p.key());
          sql.put.setBytes(3, p.value());
          sql.put.executeUpdate();
        }
        case WriteOp.Delete d -> {
          requireActor(d.actorId(), known);
          sql.delete.setString(1, d.actorId());
          sql.delete.setBytes(2, d.key());
          sql.delete.executeUpdate();
        }
        case WriteOp.DeleteRange r -> {
          requireActor(r.actorId(), known);
          sql.deleteRange.setString(1, r.actorId());
          sql.deleteRange.setBytes(2, r.start());
          sql.deleteRange.setBytes(3, r.end());
          sql.deleteRange.executeUpdate();
        }
        case WriteOp.SetAlarm a -> {
          if (a.wakeAtMillis() < -1) {
            throw new StoreException("alarm time must be ≥ 0 (set) or -1 (clear), got "
                + a.wakeAtMillis(), null);
          }
          if (a.wakeAtMillis() == -1) {
            sql.setAlarm.setNull(1, Types.INTEGER);
          } else {
            sql.setAlarm.setLong(1, a.wakeAtMillis());
          }
          sql.setAlarm.setString(2, a.actorId());
          if (sql.setAlarm.executeUpdate() == 0) {
            throw missingActor(a.actorId());
          }
          known.add(a.actorId());
        }
        case WriteOp.DestroyActor d -> {
          sql.destroyKv.setString(1, d.actorId());
          sql.destroyKv.executeUpdate();
          sql.destroyActor.setString(1, d.actorId());
          sql.destroyActor.executeUpdate();
          known.remove(d.actorId());
          existing.remove(d.actorId());
        }
      }
    }
  }

  private void createActor(ActorRecord a) throws SQLException {
    PreparedStatement s = sql.insertActor;
    s.setString(1, a.actorId());
    s.setString(2, a.name());
    s.setString(3, a.key());
    s.setLong(4, a.createdAtMillis());
    s.setBytes(5, a.input());
    try {
      s.executeUpdate();
    } catch (SQLException e) {
      String holder = lookup(sql.actorIdByKey, a.name(), a.key());
      if (holder != null) {
        throw new DuplicateKeyException("an actor named \"" + a.name() + "\" with key \""
            + a.key() + "\" already exists (id " + holder + "); get it instead of creating"
            + " it, or destroy it first", holder);
      }
      if (lookup(sql.actorExists, a.actorId()) != null) {
        throw new DuplicateKeyException("an actor with id " + a.actorId()
            + " already exists; actor ids must be unique", a.actorId());
      }
      throw e;
    }
  }

  private void requireActor(String actorId, Set<String> known) throws SQLException {
    if (known.contains(actorId) || existing.containsKey(actorId)) {
      return;
    }
    if (lookup(sql.actorExists, actorId) == null) {
      throw missingActor(actorId);
    }
    known.add(actorId);
    existing.put(actorId, Boolean.TRUE);
  }

  /**
   * Actors the writer saw in the catalog, so that a write to an existing actor needs no lookup.
   * Writer thread only. Dropped whenever a batch or a transaction is rolled back (an entry could
   * then name an actor whose creation was undone); a destroyed actor is removed, and so is one
   * that went to sleep (through {@code forgotten}, before the next group).
   */
  private final java.util.LinkedHashMap<String, Boolean> existing =
      new java.util.LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
          return size() > 65_536;
        }
      };

  private static StoreException missingActor(String actorId) {
    return new StoreException("actor " + actorId + " does not exist (destroyed, or not created"
        + " yet): create it, in this batch or an earlier one, before writing its KV or alarm",
        null);
  }

  /** The first column of the first row, or null. */
  private static String lookup(PreparedStatement s, String... params) throws SQLException {
    for (int i = 0; i < params.length; i++) {
      s.setString(i + 1, params[i]);
    }
    try (ResultSet rs = s.executeQuery()) {
      return rs.next() ? rs.getString(1) : null;
    }
  }

  private void runCompleter() {
    boolean interrupted = false;
    while (true) {
      List<Pending> group;
      try {
        group = completions.take();
      } catch (InterruptedException e) {
        interrupted = true;
        continue;
      }
      if (group == STOP) {
        break;
      }
      for (Pending p : group) {
        try {
          if (p.error == null) {
            p.future.complete(null);
          } else {
            p.future.completeExceptionally(p.error);
          }
        } catch (Throwable t) {
          log.error("a commit continuation threw; ignoring it", t);
        }
      }
      lock.lock();
      try {
        pending -= group.size();
      } finally {
        lock.unlock();
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  private static void joinUninterruptibly(Thread t) {
    boolean interrupted = false;
    while (true) {
      try {
        t.join();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  /** A submitted batch; {@code error} is written by the writer and read by the completer. */
  private static final class Pending {
    final WriteBatch batch;
    final CompletableFuture<Void> future = new CompletableFuture<>();
    StoreException error;

    Pending(WriteBatch batch) {
      this.batch = batch;
    }

    int weight() {
      return Math.max(1, batch.ops().size());
    }
  }

  /** The write connection's statements, prepared once and reused by the writer thread. */
  private static final class Statements {
    final List<PreparedStatement> all = new ArrayList<>();
    final PreparedStatement begin;
    final PreparedStatement savepoint;
    final PreparedStatement release;
    final PreparedStatement rollbackTo;
    final PreparedStatement rollback;
    final PreparedStatement commit;
    final PreparedStatement insertActor;
    final PreparedStatement actorIdByKey;
    final PreparedStatement actorExists;
    final PreparedStatement put;
    final PreparedStatement delete;
    final PreparedStatement deleteRange;
    final PreparedStatement setAlarm;
    final PreparedStatement destroyKv;
    final PreparedStatement destroyActor;

    Statements(Connection c) throws SQLException {
      try {
        begin = prepare(c, "BEGIN IMMEDIATE");
        savepoint = prepare(c, "SAVEPOINT batch");
        release = prepare(c, "RELEASE batch");
        rollbackTo = prepare(c, "ROLLBACK TO batch");
        rollback = prepare(c, "ROLLBACK");
        commit = prepare(c, "COMMIT");
        insertActor = prepare(c, "INSERT INTO actors (actor_id, name, key, created_at, input,"
            + " alarm_at) VALUES (?, ?, ?, ?, ?, NULL)");
        actorIdByKey = prepare(c, "SELECT actor_id FROM actors WHERE name = ? AND key = ?");
        actorExists = prepare(c, "SELECT actor_id FROM actors WHERE actor_id = ?");
        put = prepare(c, "INSERT INTO kv (actor_id, k, v) VALUES (?, ?, ?)"
            + " ON CONFLICT (actor_id, k) DO UPDATE SET v = excluded.v");
        delete = prepare(c, "DELETE FROM kv WHERE actor_id = ? AND k = ?");
        deleteRange = prepare(c, "DELETE FROM kv WHERE actor_id = ? AND k >= ? AND k < ?");
        setAlarm = prepare(c, "UPDATE actors SET alarm_at = ? WHERE actor_id = ?");
        destroyKv = prepare(c, "DELETE FROM kv WHERE actor_id = ?");
        destroyActor = prepare(c, "DELETE FROM actors WHERE actor_id = ?");
      } catch (SQLException | RuntimeException e) {
        close();
        throw e;
      }
    }

    private PreparedStatement prepare(Connection c, String sql) throws SQLException {
      PreparedStatement s = c.prepareStatement(sql);
      all.add(s);
      return s;
    }

    void close() {
      all.forEach(Catalog::closeQuietly);
    }
  }
}
