package io.rivet4j.testkit;

import io.rivet4j.api.Actor;
import io.rivet4j.api.ActorHandle;
import io.rivet4j.api.Key;
import io.rivet4j.runtime.Durability;
import io.rivet4j.runtime.Registry;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * The process {@link StateInDatabaseCrashTest} kills: actors whose balance (state, kept in their
 * database) and ledger (SQL) change in one transaction, under load from several threads; each
 * acknowledged move is printed as {@code ACK <key> <balance> .}. Runs until killed.
 */
public final class StateInDatabaseCrashChild {
  private StateInDatabaseCrashChild() {}

  /** Balance = 100 + the ledger's sum, always: the invariant the crash must not break. */
  record Account(long balance) {}

  static Registry registry() {
    return Registry.builder().actor(Actor.<Account>builder("account")
        .initialState(new Account(100))
        .stateInDatabase()
        .onMigrate(db -> db.executeScript("CREATE TABLE IF NOT EXISTS ledger (id INTEGER"
            + " PRIMARY KEY AUTOINCREMENT, amount INTEGER NOT NULL)"))
        .action("move", (c, a) -> c.db().transaction(db -> {
          db.execute("INSERT INTO ledger (amount) VALUES (1)");
          return c.updateState(s -> new Account(s.balance() + 1)).balance();
        }))
        .action("check", (c, a) -> c.state().balance() + " " + c.db().execute(
            "SELECT COUNT(*) AS n, COALESCE(SUM(amount), 0) AS s FROM ledger").get(0)))
        .build();
  }

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    int actors = Integer.parseInt(args[1]);
    TestRegistry rivet = TestRegistry.start(registry(), dir, Durability.DURABLE);
    CountDownLatch never = new CountDownLatch(1);
    for (int i = 0; i < actors; i++) {
      String key = "acct" + i;
      ActorHandle h = rivet.client().getOrCreate("account", Key.of(key));
      Thread.ofPlatform().start(() -> {
        for (;;) {
          long balance = h.action("move", Long.class);
          synchronized (System.out) {
            System.out.println("ACK " + key + " " + balance + " .");
            System.out.flush();
          }
        }
      });
    }
    synchronized (System.out) {
      System.out.println("READY");
      System.out.flush();
    }
    never.await();
  }
}
