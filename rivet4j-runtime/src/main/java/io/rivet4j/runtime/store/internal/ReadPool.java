package io.rivet4j.runtime.store.internal;

import io.rivet4j.runtime.spi.ActorRecord;
import io.rivet4j.runtime.spi.Alarm;
import io.rivet4j.runtime.spi.KvEntry;
import io.rivet4j.runtime.spi.StoreException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * A fixed pool of read-only connections to the catalog, usable from any thread.
 *
 * <p>Concurrency: a connection (and its prepared statements) is used by one thread at a time, the
 * one that took it from {@code idle}; a reader waits when all are busy. Every query closes its
 * result set before the connection goes back, so no read transaction outlives the call and a read
 * that starts after a COMMIT returned sees that commit (WAL snapshot per statement).
 * <p>Lifecycle: OPEN → CLOSED. {@link #close} waits for in-flight reads, closes every connection,
 * then leaves a poison entry so that waiting and later readers fail with "store is closed".
 */
public final class ReadPool implements AutoCloseable {
  private static final Reader POISON = new Reader();

  private final BlockingQueue<Reader> idle;
  private final int size;
  private volatile boolean closed;

  private ReadPool(List<Reader> readers) {
    this.size = readers.size();
    this.idle = new ArrayBlockingQueue<>(size, false, readers);
  }

  public static ReadPool open(Path file, int size, Duration busyTimeout) throws SQLException {
    List<Reader> readers = new ArrayList<>(size);
    try {
      for (int i = 0; i < size; i++) {
        readers.add(new Reader(Catalog.openReader(file, busyTimeout)));
      }
    } catch (SQLException | RuntimeException e) {
      readers.forEach(Reader::close);
      throw e;
    }
    return new ReadPool(readers);
  }

  public Optional<ActorRecord> findById(String actorId) {
    return read(r -> {
      PreparedStatement s = r.findById;
      s.setString(1, actorId);
      return actor(s);
    });
  }

  public Optional<ActorRecord> findByKey(String name, String key) {
    return read(r -> {
      PreparedStatement s = r.findByKey;
      s.setString(1, name);
      s.setString(2, key);
      return actor(s);
    });
  }

  public Optional<byte[]> get(String actorId, byte[] key) {
    return read(r -> {
      PreparedStatement s = r.get;
      s.setString(1, actorId);
      s.setBytes(2, key);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? Optional.of(bytes(rs, 1)) : Optional.empty();
      }
    });
  }

  public List<KvEntry> list(String actorId, byte[] start, byte[] end, int limit, boolean reverse) {
    return read(r -> {
      PreparedStatement s = reverse ? r.listDesc : r.listAsc;
      s.setString(1, actorId);
      s.setBytes(2, start);
      s.setBytes(3, end);
      s.setInt(4, limit);
      List<KvEntry> out = new ArrayList<>();
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          out.add(new KvEntry(bytes(rs, 1), bytes(rs, 2)));
        }
      }
      return out;
    });
  }

  public List<Alarm> alarms() {
    return read(r -> {
      List<Alarm> out = new ArrayList<>();
      try (ResultSet rs = r.alarms.executeQuery()) {
        while (rs.next()) {
          out.add(new Alarm(rs.getString(1), rs.getString(2), rs.getLong(3)));
        }
      }
      return out;
    });
  }

  public long actorCount() {
    return read(r -> {
      try (ResultSet rs = r.count.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    });
  }

  /** Waits for in-flight reads, then closes every connection. Idempotent. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    boolean interrupted = false;
    for (int closedCount = 0; closedCount < size; ) {
      Reader r;
      try {
        r = idle.take();
      } catch (InterruptedException e) {
        interrupted = true;
        continue;
      }
      if (r == POISON) {
        idle.add(POISON); // a concurrent close() got here first
        break;
      }
      r.close();
      closedCount++;
    }
    idle.offer(POISON);
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  private <T> T read(Query<T> query) {
    if (closed) {
      throw closedError();
    }
    Reader r;
    try {
      r = idle.take();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreException("interrupted while waiting for a read connection", e);
    }
    if (r == POISON) {
      idle.add(POISON);
      throw closedError();
    }
    try {
      return query.run(r);
    } catch (SQLException e) {
      throw new StoreException("could not read catalog.db: " + e.getMessage(), e);
    } finally {
      idle.add(r);
    }
  }

  private static StoreException closedError() {
    return new StoreException("store is closed", null);
  }

  private static Optional<ActorRecord> actor(PreparedStatement s) throws SQLException {
    try (ResultSet rs = s.executeQuery()) {
      if (!rs.next()) {
        return Optional.empty();
      }
      return Optional.of(new ActorRecord(
          rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4), rs.getBytes(5)));
    }
  }

  /** A NOT NULL blob column; SQLite hands back a zero-length blob as NULL to some drivers. */
  private static byte[] bytes(ResultSet rs, int column) throws SQLException {
    byte[] b = rs.getBytes(column);
    return b == null ? new byte[0] : b;
  }

  @FunctionalInterface
  private interface Query<T> {
    T run(Reader reader) throws SQLException;
  }

  /** One connection and its statements, prepared once. */
  private static final class Reader {
    private static final String ACTOR_COLUMNS = "actor_id, name, key, created_at, input";

    final Connection connection;
    final PreparedStatement findById;
    final PreparedStatement findByKey;
    final PreparedStatement get;
    final PreparedStatement listAsc;
    final PreparedStatement listDesc;
    final PreparedStatement alarms;
    final PreparedStatement count;

    private Reader() {
      connection = null;
      findById = findByKey = get = listAsc = listDesc = alarms = count = null;
    }

    Reader(Connection c) throws SQLException {
      connection = c;
      try {
        findById = c.prepareStatement(
            "SELECT " + ACTOR_COLUMNS + " FROM actors WHERE actor_id = ?");
        findByKey = c.prepareStatement(
            "SELECT " + ACTOR_COLUMNS + " FROM actors WHERE name = ? AND key = ?");
        get = c.prepareStatement("SELECT v FROM kv WHERE actor_id = ? AND k = ?");
        String range = "SELECT k, v FROM kv WHERE actor_id = ? AND k >= ? AND k < ? ORDER BY k ";
        listAsc = c.prepareStatement(range + "ASC LIMIT ?");
        listDesc = c.prepareStatement(range + "DESC LIMIT ?");
        alarms = c.prepareStatement("SELECT actor_id, name, alarm_at FROM actors"
            + " WHERE alarm_at IS NOT NULL ORDER BY alarm_at, actor_id");
        count = c.prepareStatement("SELECT count(*) FROM actors");
      } catch (SQLException | RuntimeException e) {
        Catalog.closeQuietly(c);
        throw e;
      }
    }

    void close() {
      Catalog.closeQuietly(connection);
    }
  }
}
