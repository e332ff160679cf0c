package io.rivet4j.runtime.internal.db;

import io.rivet4j.api.Database;
import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The process {@link KillNineTest} kills: {@code threads} threads insert rows into the databases
 * of {@code actors} actors (most of them made from migrated spares) (through an LRU smaller than the actor count, so connections are also
 * being closed and reopened) and print {@code ACK <actor> <rowid> .} once each insert has
 * committed. Runs until killed.
 */
public final class KillNineChild {
  private KillNineChild() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    int actors = Integer.parseInt(args[1]);
    int threads = Integer.parseInt(args[2]);
    PrintStream out = new PrintStream(new BufferedOutputStream(
        new FileOutputStream(FileDescriptor.out), 1 << 16), false, StandardCharsets.UTF_8);
    ActorDatabases dbs = new ActorDatabases(dir, DbOptions.defaults().withMaxOpen(4));
    io.rivet4j.api.Actor.Migration migration = db -> db.execute(
        "CREATE TABLE IF NOT EXISTS acks (id INTEGER PRIMARY KEY, payload TEXT NOT NULL)");
    // the first create starts the migrated-spare check; the others then start from those
    // spares (whose directory entries are made durable by their first commit)
    dbs.migrate(actor(0), "acks", migration);
    if (!dbs.migratedSpares("acks").awaitSpare(java.time.Duration.ofSeconds(60))) {
      throw new IllegalStateException("no migrated spare database became ready");
    }
    for (int a = 1; a < actors; a++) {
      dbs.migrate(actor(a), "acks", migration);
    }
    int claimed = dbs.migratedSpares("acks").claimed();
    if (claimed == 0) {
      throw new IllegalStateException("no actor started from a migrated spare");
    }
    out.println("READY (" + claimed + " actors from migrated spares)");
    out.flush();
    for (int t = 0; t < threads; t++) {
      int thread = t;
      Thread worker = new Thread(() -> {
        for (long i = 0; ; i++) {
          String actor = actor((int) ((i * threads + thread) % actors));
          Database db = dbs.forActor(actor);
          List<Map<String, Object>> rows;
          if (i % 4 == 0) {
            long n = i;
            rows = db.transaction(tx -> {
              List<Map<String, Object>> both = new java.util.ArrayList<>(tx.execute(
                  "INSERT INTO acks (payload) VALUES (?) RETURNING id", "tx-a-" + n));
              both.addAll(tx.execute(
                  "INSERT INTO acks (payload) VALUES (?) RETURNING id", "tx-b-" + n));
              return both;
            });
          } else {
            rows = db.execute("INSERT INTO acks (payload) VALUES (?) RETURNING id", "row-" + i);
          }
          synchronized (out) {
            for (Map<String, Object> row : rows) {
              out.println("ACK " + actor + " " + row.get("id") + " .");
            }
            out.flush();
          }
        }
      }, "writer-" + t);
      worker.start();
    }
  }

  static String actor(int a) {
    return String.format("kn%03d", a);
  }
}
