package io.rivet4j.runtime.internal.db;

import io.rivet4j.api.Actor;
import io.rivet4j.api.RivetError;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.JDBC;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteConnection;
import org.sqlite.SQLiteOpenMode;

/**
 * The per-actor SQLite databases of a node ({@code c.db()}): one file per actor,
 * {@code <directory>/<first 2 chars of id>/<id>.db}, created at the actor's first statement and
 * reached through a bounded LRU of open connections.
 *
 * <p>Concurrency: thread-safe. {@link #lock} guards the LRU ({@link #handles}), the handles being
 * closed ({@link #retiring}), every handle's pin count and {@link #closed}; it is never held
 * during I/O. A handle is pinned by every call that uses or waits for it, and only unpinned
 * handles outside a manual transaction are evicted, so a running statement or transaction never
 * loses its connection. The LRU may exceed its cap only while more handles than the cap are
 * pinned at once. One actor's calls are serialized FIFO by its handle's lock.
 *
 * <p>Lifecycle: a handle is created at an actor's first call, opened (file created) at its first
 * statement, evicted (closed: WAL checkpointed and removed) when the LRU is over its cap, and
 * reopened on demand by a new handle that first waits for the old one to close. {@link #delete}
 * closes the handle and removes the files; {@link #close} closes everything for good.
 *
 * <p>Persistence: WAL journal, {@code synchronous=FULL}: a committed statement or transaction is
 * fsynced before the call returns, and survives kill -9 and power loss. New files are written
 * from a template (an empty database already in WAL mode) and fsynced before first use, so a file
 * is either absent or a valid database; connections use exclusive locking (two descriptors per
 * database, no shared-memory file), so one file is never opened twice, even by two processes.
 */
public final class ActorDatabases implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ActorDatabases.class);
  /** Descriptors one open database may hold: the file, its WAL, a temporary file of a sort. */
  static final int FDS_PER_HANDLE = 3;
  private static final Pattern ACTOR_ID = Pattern.compile("[A-Za-z0-9_-]{1,128}");
  private static final String MIGRATED_SPARES = ".spare-migrated";
  private static final byte[] MAGIC = "SQLite format 3\0".getBytes(StandardCharsets.US_ASCII);

  private final Path directory;
  private final DbOptions options;
  private final InstantSource clock;
  private final int maxOpen;
  private final Properties connectionProperties;
  private final AtomicInteger open = new AtomicInteger();
  private final Template template;
  private final SpareFiles spares;
  /** Per actor type with a migration: spares already migrated (see {@link MigratedSpares}). */
  private final ConcurrentHashMap<String, MigratedSpares> migratedSpares =
      new ConcurrentHashMap<>();
  private final AtomicInteger migratedTypes = new AtomicInteger(); // numbers their directories
  /**
   * Shard directories known to be durable (created and their parent fsynced): a create in one
   * of them needs no directory fsync. The 1,296 shards of generated ids are made ahead, once, in
   * the background, when the first database is created.
   */
  private final Set<String> durableShards = ConcurrentHashMap.newKeySet();
  private final AtomicBoolean shardsStarted = new AtomicBoolean();
  private volatile Thread shardMaker;

  private final ReentrantLock lock = new ReentrantLock();
  /** Live handles by actor id, least recently used first. */
  private final LinkedHashMap<String, DbHandle> handles = new LinkedHashMap<>(64, 0.75f, true);
  /** Retired handles not yet closed, by actor id; a new handle of that actor waits for them. */
  private final Map<String, DbHandle> retiring = new HashMap<>();
  private boolean closed;

  public ActorDatabases(Path directory, DbOptions options) {
    this(directory, options, InstantSource.system());
  }

  /** As above, with the time source of transaction deadlines (tests pass a manual one). */
  public ActorDatabases(Path directory, DbOptions options, InstantSource clock) {
    this.directory = Objects.requireNonNull(directory, "directory").toAbsolutePath();
    this.options = Objects.requireNonNull(options, "options");
    this.clock = Objects.requireNonNull(clock, "clock");
    try {
      if (!Files.isDirectory(this.directory)) {
        Files.createDirectories(this.directory);
        fsyncDirectory(this.directory.getParent());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the database directory " + directory, e);
    }
    long fdLimit = openFileLimit();
    this.maxOpen = effectiveMaxOpen(options.maxOpen(), fdLimit);
    if (maxOpen < options.maxOpen()) {
      LOG.warn("at most {} actor databases will be open at once instead of {}: the open-file"
          + " limit is {} and each database needs up to {} descriptors; raise it (ulimit -n) to"
          + " keep more open", maxOpen, options.maxOpen(), fdLimit, FDS_PER_HANDLE);
    }
    SQLiteConfig config = new SQLiteConfig();
    config.setBusyTimeout((int) options.busyTimeout().toMillis());
    // the driver otherwise runs "SELECT last_insert_rowid()" after every statement
    config.setGetGeneratedKeys(false);
    // files are created from the template, never implicitly by SQLite
    config.resetOpenMode(SQLiteOpenMode.CREATE);
    this.connectionProperties = config.toProperties();
    this.template = new Template(this.directory, options.pageSize());
    this.spares = new SpareFiles(this.directory.resolve(".spare"), options.spareFiles(),
        template, LOG);
    spares.start();
    deleteTree(this.directory.resolve(MIGRATED_SPARES)); // an earlier run's
    deleteTree(this.directory.resolve(MigratedSpares.RESERVED_SHARD)); // its checks' leftovers
  }

  /**
   * Runs {@code migration} as {@link #migrate(String, Actor.Migration)} does; an actor without a
   * database file yet (a new one) starts from a spare of its type that the migration already ran
   * on, when that migration is reproducible ({@link MigratedSpares}).
   */
  public void migrate(String actorId, String typeName, Actor.Migration migration)
      throws Exception {
    checkId(actorId);
    Objects.requireNonNull(typeName, "typeName");
    Objects.requireNonNull(migration, "migration");
    Path f = file(actorId);
    if (options.spareFiles() > 0 && !isClosed() && !Files.exists(f)) {
      MigratedSpares m = migratedSpares.computeIfAbsent(typeName, t -> {
        int index = migratedTypes.getAndIncrement();
        return new MigratedSpares(this, t, migration, index,
            directory.resolve(MIGRATED_SPARES).resolve(Integer.toString(index)),
            options.spareFiles(), LOG);
      });
      try {
        ensureShard(f);
        m.claim(f);
      } catch (IOException e) {
        LOG.debug("no migrated spare for {}: {}", actorId, e.toString());
      }
    }
    migrate(actorId, migration);
  }

  /** The migrated spares of {@code typeName}, if a create of that type asked for them. */
  MigratedSpares migratedSpares(String typeName) {
    return migratedSpares.get(typeName);
  }

  /**
   * The database of {@code actorId}: a light view; nothing is opened or created until its first
   * statement. The runtime makes one per activation and closes it when the actor stops.
   */
  public ActorDatabase forActor(String actorId) {
    return forActor(actorId, null);
  }

  /** As {@link #forActor(String)} for an actor whose state lives in its database. */
  public ActorDatabase forActor(String actorId, StateHook state) {
    checkId(actorId);
    return new ActorDatabase(this, actorId, state);
  }

  /** True when {@code actorId}'s database file exists (it ran at least one statement). */
  public boolean exists(String actorId) {
    checkId(actorId);
    return Files.exists(file(actorId));
  }

  /** The file of {@code actorId}'s database (which may not exist yet). */
  public Path file(String actorId) {
    String shard = actorId.length() >= 2 ? actorId.substring(0, 2) : actorId;
    return directory.resolve(shard).resolve(actorId + ".db");
  }

  public Path directory() {
    return directory;
  }

  /** Connections open now (never above {@link #maxOpen()} unless that many are in use). */
  public int openHandles() {
    return open.get();
  }

  /** The LRU's cap: {@link DbOptions#maxOpen()}, lowered when file descriptors are scarce. */
  public int maxOpen() {
    return maxOpen;
  }

  /**
   * Runs {@code migration} in one transaction, bounded by {@link DbOptions#migrationTimeout()}:
   * it commits as a whole or leaves nothing behind. Exceptions it throws are rethrown as they
   * are after the rollback.
   */
  public void migrate(String actorId, Actor.Migration migration) throws Exception {
    migrate(actorId, migration, options.migrationTimeout());
  }

  public void migrate(String actorId, Actor.Migration migration, Duration timeout)
      throws Exception {
    Objects.requireNonNull(migration, "migration");
    forActor(actorId).transact(timeout, db -> {
      migration.migrate(db);
      return null;
    });
  }

  /**
   * Closes the connection of {@code actorId} if nothing uses it (e.g. when the actor sleeps);
   * optional, since the LRU closes idle connections anyway.
   */
  public void closeIdle(String actorId) {
    checkId(actorId);
    closeIdle(actorId, false);
  }

  /** As {@link #closeIdle(String)}; {@code abandon}: also roll back a manual transaction. */
  void closeIdle(String actorId, boolean abandon) {
    DbHandle victim = null;
    lock.lock();
    try {
      DbHandle h = handles.get(actorId);
      if (h != null && h.pins == 0 && (abandon || !h.manualTransaction)) {
        handles.remove(actorId);
        retireLocked(h);
        victim = h;
      }
    } finally {
      lock.unlock();
    }
    if (victim != null) {
      finishRetire(victim);
    }
  }

  /**
   * Deletes {@code actorId}'s database: closes its connection (waiting, bounded, for a running
   * call to finish) and removes the file with its WAL. A later statement would start a new,
   * empty database, so close the actor's views first.
   */
  public void delete(String actorId) {
    checkId(actorId);
    Path f = file(actorId);
    DbHandle live;
    DbHandle tomb;
    boolean closeNow = false;
    lock.lock();
    try {
      if (closed) {
        throw DbErrors.closed();
      }
      live = handles.remove(actorId);
      tomb = new DbHandle(this, actorId, f, live != null ? live : retiring.get(actorId));
      tomb.retired = true;
      tomb.closing = true;
      retiring.put(actorId, tomb);
      if (live != null) {
        live.retired = true;
        if (live.pins == 0 && !live.closing) {
          live.closing = true;
          closeNow = true;
        }
      }
    } finally {
      lock.unlock();
    }
    try {
      if (closeNow) {
        finishRetire(live);
      }
      long wait = waitMillis();
      if (!tomb.awaitPredecessor(wait)) {
        throw DbErrors.busy(actorId, Duration.ofMillis(wait));
      }
      for (String suffix : new String[] {"", "-wal", "-shm", "-journal", ".tmp"}) {
        Files.deleteIfExists(f.resolveSibling(f.getFileName() + suffix));
      }
      fsyncDirectory(f.getParent());
    } catch (IOException e) {
      throw DbErrors.unavailable("cannot delete the database of actor " + actorId + ": " + e, e);
    } finally {
      tomb.signalClosed();
      lock.lock();
      try {
        retiring.remove(actorId, tomb);
      } finally {
        lock.unlock();
      }
    }
  }

  /** Closes every connection (waiting, bounded, for running calls); later calls fail. */
  @Override
  public void close() {
    List<DbHandle> now = new ArrayList<>();
    List<DbHandle> await = new ArrayList<>();
    lock.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      for (DbHandle h : handles.values()) {
        h.retired = true;
        if (h.pins == 0 && !h.closing) {
          h.closing = true;
          now.add(h);
        } else {
          await.add(h);
        }
      }
      handles.clear();
      await.addAll(retiring.values());
    } finally {
      lock.unlock();
    }
    spares.close();
    migratedSpares.values().forEach(MigratedSpares::close);
    joinQuietly(shardMaker); // so that nothing is written in the directory after close
    for (DbHandle h : now) {
      h.retire(waitMillis());
    }
    for (DbHandle h : await) {
      h.awaitClosed(waitMillis());
    }
  }

  // ---- handles (package-private: used by ActorDatabase and DbHandle) ----

  /**
   * Pins and locks {@code actorId}'s handle (FIFO behind calls already waiting); the caller
   * must {@link #release(DbHandle)} it.
   */
  DbHandle acquire(String actorId) {
    while (true) {
      DbHandle h;
      List<DbHandle> victims;
      lock.lock();
      try {
        if (closed) {
          throw DbErrors.closed();
        }
        h = handles.get(actorId);
        if (h == null) {
          h = new DbHandle(this, actorId, file(actorId), retiring.get(actorId));
          handles.put(actorId, h);
        } else if (h.pins > options.maxQueuedOperations() && !h.use.isHeldByCurrentThread()) {
          throw DbErrors.queueFull(actorId, options.maxQueuedOperations());
        }
        h.pins++;
        victims = handles.size() > maxOpen ? evictLocked() : List.of();
      } finally {
        lock.unlock();
      }
      for (DbHandle v : victims) {
        finishRetire(v);
      }
      boolean locked;
      try {
        locked = h.use.tryLock(waitMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        unpin(h);
        Thread.currentThread().interrupt();
        throw DbErrors.unavailable("interrupted while waiting for the database of actor "
            + actorId, e);
      }
      if (!locked) {
        unpin(h);
        throw DbErrors.busy(actorId, Duration.ofMillis(waitMillis()));
      }
      if (!isRetired(h)) {
        return h;
      }
      // deleted, or the node is closing, while this call waited: start over on a fresh handle
      h.use.unlock();
      unpin(h);
    }
  }

  /** Calls holding or waiting for {@code actorId}'s handle (for tests). */
  int pins(String actorId) {
    lock.lock();
    try {
      DbHandle h = handles.get(actorId);
      return h == null ? 0 : h.pins;
    } finally {
      lock.unlock();
    }
  }

  /** Unlocks and unpins a handle from {@link #acquire}. */
  void release(DbHandle h) {
    h.use.unlock();
    unpin(h);
  }

  private void unpin(DbHandle h) {
    boolean retireNow = false;
    List<DbHandle> victims = List.of();
    lock.lock();
    try {
      h.pins--;
      if (h.retired) {
        if (h.pins == 0 && !h.closing) {
          h.closing = true;
          retireNow = true;
        }
      } else if (handles.size() > maxOpen) {
        victims = evictLocked();
      }
    } finally {
      lock.unlock();
    }
    if (retireNow) {
      finishRetire(h);
    }
    for (DbHandle v : victims) {
      finishRetire(v);
    }
  }

  private boolean isRetired(DbHandle h) {
    lock.lock();
    try {
      return h.retired;
    } finally {
      lock.unlock();
    }
  }

  /** Removes least recently used idle handles until the LRU fits its cap (lock held). */
  private List<DbHandle> evictLocked() {
    List<DbHandle> out = new ArrayList<>();
    int excess = handles.size() - maxOpen;
    Iterator<DbHandle> it = handles.values().iterator();
    while (excess > 0 && it.hasNext()) {
      DbHandle h = it.next();
      if (h.pins == 0 && !h.manualTransaction) {
        it.remove();
        retireLocked(h);
        out.add(h);
        excess--;
      }
    }
    return out;
  }

  private void retireLocked(DbHandle h) {
    h.retired = true;
    h.closing = true;
    retiring.put(h.actorId, h);
  }

  private void finishRetire(DbHandle h) {
    h.retire(waitMillis());
    lock.lock();
    try {
      retiring.remove(h.actorId, h);
    } finally {
      lock.unlock();
    }
  }

  /** Opens {@code h}'s file, creating it from the template first if needed. */
  SQLiteConnection openConnection(DbHandle h) throws SQLException {
    try {
      if (!Files.exists(h.file)) {
        create(h.file);
      }
    } catch (IOException e) {
      throw DbErrors.unavailable("cannot create the database of actor " + h.actorId + " at "
          + h.file + ": " + e, e);
    }
    SQLiteConnection c = JDBC.createConnection("jdbc:sqlite:" + h.file, connectionProperties);
    try (Statement s = c.createStatement()) {
      // before the first read, so the WAL index lives in heap memory (no -shm file)
      s.execute("PRAGMA locking_mode = EXCLUSIVE");
      s.execute("PRAGMA cache_size = -" + options.pageCacheKiB());
      try (ResultSet rs = s.executeQuery("PRAGMA journal_mode")) {
        String mode = rs.next() ? rs.getString(1) : "";
        if (!"wal".equalsIgnoreCase(mode)) {
          enableWal(s, h.file);
        }
      }
      s.execute("PRAGMA synchronous = FULL");
    } catch (SQLException | RuntimeException e) {
      try {
        c.close();
      } catch (SQLException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
    return c;
  }

  private static void enableWal(Statement s, Path file) throws SQLException {
    try (ResultSet rs = s.executeQuery("PRAGMA journal_mode = WAL")) {
      String mode = rs.next() ? rs.getString(1) : "";
      if (!"wal".equalsIgnoreCase(mode)) {
        throw new SQLException("could not switch " + file + " to WAL mode (got " + mode + ")");
      }
    }
  }

  /** Writes a new database file: the template, fsynced, linked into place (never half-made). */
  private void create(Path f) throws IOException {
    ensureShard(f);
    if (spares.claim(f)) {
      return;
    }
    byte[] bytes = template.bytes();
    Path tmp = f.resolveSibling(f.getFileName() + ".tmp");
    try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE,
        StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
      ByteBuffer b = ByteBuffer.wrap(bytes);
      while (b.hasRemaining()) {
        ch.write(b);
      }
      ch.force(true);
    }
    try {
      Files.createLink(f, tmp);
      Files.delete(tmp);
    } catch (FileAlreadyExistsException e) {
      Files.delete(tmp);
    } catch (UnsupportedOperationException | IOException e) {
      if (Files.exists(f)) {
        Files.deleteIfExists(tmp);
      } else {
        Files.move(tmp, f, StandardCopyOption.ATOMIC_MOVE);
      }
    }
    // the directory entry is made durable by SQLite's directory sync at the first WAL commit
  }

  /** Makes {@code f}'s shard directory exist durably (fsync of its parent unless known). */
  private void ensureShard(Path f) throws IOException {
    Path shard = f.getParent();
    String name = shard.getFileName().toString();
    if (durableShards.contains(name)) {
      return;
    }
    Files.createDirectories(shard);
    fsyncDirectory(directory);
    durableShards.add(name);
    if (shardsStarted.compareAndSet(false, true)) {
      shardMaker = Thread.ofVirtual().name("rivet4j-db-shards").start(this::makeShards);
    }
  }

  /** Creates the shard directories of every generated id ([0-9a-z]{2}), then one fsync. */
  private void makeShards() {
    String digits = "0123456789abcdefghijklmnopqrstuvwxyz";
    List<String> made = new ArrayList<>(digits.length() * digits.length());
    try {
      for (int i = 0; i < digits.length(); i++) {
        for (int j = 0; j < digits.length(); j++) {
          if (isClosed()) {
            return;
          }
          String name = "" + digits.charAt(i) + digits.charAt(j);
          Files.createDirectories(directory.resolve(name));
          made.add(name);
        }
      }
    } catch (IOException e) {
      LOG.debug("cannot create shard directories in {}: {}", directory, e.toString());
    }
    fsyncDirectory(directory);
    durableShards.addAll(made);
  }

  private boolean isClosed() {
    lock.lock();
    try {
      return closed;
    } finally {
      lock.unlock();
    }
  }

  /** Waits (at most 10 s) for {@code t} to end. */
  static void joinQuietly(Thread t) {
    if (t == null) {
      return;
    }
    try {
      t.join(Duration.ofSeconds(10));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void deleteTree(Path root) {
    if (!Files.isDirectory(root)) {
      return;
    }
    try (var paths = Files.walk(root)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException | UncheckedIOException e) {
      LOG.debug("cannot delete {}: {}", root, e.toString());
    }
  }

  DbOptions options() {
    return options;
  }

  InstantSource clock() {
    return clock;
  }

  Logger log() {
    return LOG;
  }

  void opened() {
    open.incrementAndGet();
  }

  void closed() {
    open.decrementAndGet();
  }

  /** How long a call waits for its actor's handle, and shutdown for running calls. */
  private long waitMillis() {
    return options.transactionTimeout().toMillis() + options.busyTimeout().toMillis();
  }

  private static void checkId(String actorId) {
    Objects.requireNonNull(actorId, "actorId");
    if (!ACTOR_ID.matcher(actorId).matches()) {
      throw new RivetError("actor", "invalid_request", "actor id '" + actorId + "' cannot name"
          + " a database file: use 1–128 characters from [A-Za-z0-9_-]");
    }
  }

  /**
   * The cap for {@code requested} under a soft limit of {@code fdLimit} descriptors (≤ 0:
   * unknown): half the descriptors stay for sockets, the node catalog and the JVM.
   */
  static int effectiveMaxOpen(int requested, long fdLimit) {
    if (fdLimit <= 0) {
      return requested;
    }
    long budget = (fdLimit - Math.max(256, fdLimit / 2)) / FDS_PER_HANDLE;
    return (int) Math.max(Math.min(8, requested), Math.min(requested, budget));
  }

  /** The soft limit on open files from {@code /proc/self/limits}; -1 when unknown/unlimited. */
  static long openFileLimit() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
        if (line.startsWith("Max open files")) {
          String[] parts = line.substring("Max open files".length()).trim().split("\\s+");
          return parts[0].equals("unlimited") ? -1 : Long.parseLong(parts[0]);
        }
      }
    } catch (IOException | RuntimeException e) {
      LOG.debug("cannot read /proc/self/limits: {}", e.toString());
    }
    return -1;
  }

  /** An empty database already in WAL mode with the configured page size (built once). */
  static final class Template implements SpareFiles.Template {
    private final Path directory;
    private final int pageSize;
    private volatile byte[] bytes;

    Template(Path directory, int pageSize) {
      this.directory = directory;
      this.pageSize = pageSize;
    }

    @Override
    public byte[] bytes() throws IOException {
      byte[] b = bytes;
      if (b == null) {
        synchronized (this) {
          if (bytes == null) {
            bytes = build();
          }
          b = bytes;
        }
      }
      return b;
    }

    private byte[] build() throws IOException {
      Path tmp = Files.createTempFile(directory, ".template-", ".db");
      try {
        try (SQLiteConnection c = JDBC.createConnection("jdbc:sqlite:" + tmp, new Properties());
            Statement s = c.createStatement()) {
          s.execute("PRAGMA page_size = " + pageSize);
          enableWal(s, tmp);
        } catch (SQLException e) {
          throw new IOException("cannot build the database template: " + e.getMessage(), e);
        }
        byte[] read = Files.readAllBytes(tmp);
        boolean valid = read.length == pageSize && read[18] == 2 && read[19] == 2;
        for (int i = 0; valid && i < MAGIC.length; i++) {
          valid = read[i] == MAGIC[i];
        }
        if (!valid) {
          throw new IOException("unexpected database template (" + read.length + " bytes)");
        }
        return read;
      } finally {
        for (String suffix : new String[] {"", "-wal", "-shm", "-journal"}) {
          Files.deleteIfExists(tmp.resolveSibling(tmp.getFileName() + suffix));
        }
      }
    }
  }

  private static void fsyncDirectory(Path dir) {
    if (dir == null) {
      return;
    }
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException | UnsupportedOperationException e) {
      LOG.debug("cannot fsync directory {}: {}", dir, e.toString());
    }
  }
}
