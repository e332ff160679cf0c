package io.rivet4j.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.rivet4j.api.Actor;
import io.rivet4j.api.ActorHandle;
import io.rivet4j.api.Key;
import io.rivet4j.api.RivetError;
import io.rivet4j.runtime.Registry;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * {@code Actor.stateInDatabase()}: the state lives in the actor's SQLite file, and a transaction
 * that changes it commits (or rolls back) the state with its SQL.
 */
class StateInDatabaseTest {
  /** The balance (state) and the ledger (SQL) must always agree. */
  record Account(long balance) {}

  private static Registry registry() {
    return Registry.builder().actor(Actor.<Account>builder("account")
        .initialState(new Account(100))
        .stateInDatabase()
        .onMigrate(db -> db.executeScript("CREATE TABLE IF NOT EXISTS ledger (id INTEGER"
            + " PRIMARY KEY AUTOINCREMENT, amount INTEGER NOT NULL)"))
        // moves `amount` in one transaction; fails after both changes when asked to
        .action("move", (c, a) -> c.db().transaction(db -> {
          long amount = a.get(0, Long.class);
          db.execute("INSERT INTO ledger (amount) VALUES (?)", amount);
          Account next = c.updateState(s -> new Account(s.balance() + amount));
          if (a.get(1, Boolean.class)) {
            throw new IllegalStateException("failed after writing both");
          }
          return next.balance();
        }))
        // an outer change that commits around an inner one that rolls back
        .action("nested", (c, a) -> c.db().transaction(db -> {
          db.execute("INSERT INTO ledger (amount) VALUES (1)");
          c.updateState(s -> new Account(s.balance() + 1));
          try {
            db.transaction(inner -> {
              inner.execute("INSERT INTO ledger (amount) VALUES (1000)");
              c.updateState(s -> new Account(s.balance() + 1000));
              throw new IllegalStateException("inner fails");
            });
          } catch (IllegalStateException expected) {
            // the inner savepoint and its state change are undone
          }
          return c.state().balance();
        }))
        .action("set", (c, a) -> c.updateState(s -> new Account(a.get(0, Long.class))))
        .action("balance", (c, a) -> c.state().balance())
        .action("ledgerSum", (c, a) -> c.db().execute(
            "SELECT COALESCE(SUM(amount), 0) AS s FROM ledger").get(0).get("s"))
        .action("moveOffThread", (c, a) -> CompletableFuture.supplyAsync(
            () -> c.db().transaction(db -> c.updateState(s -> new Account(0)))))
        .action("sleep", (c, a) -> {
          c.sleep();
          return null;
        }))
        .build();
  }

  @Test
  void stateAndSqlCommitTogetherAndSurviveARestart() {
    try (TestRegistry rivet = TestRegistry.start(registry())) {
      ActorHandle h = rivet.client().getOrCreate("account", Key.of("a"));
      assertEquals(130L, h.action("move", Long.class, 30L, false));
      assertEquals(110L, h.action("move", Long.class, -20L, false));
      rivet.restart();
      ActorHandle again = rivet.client().get("account", Key.of("a"));
      assertEquals(110L, again.action("balance", Long.class));
      assertEquals(10L, again.action("ledgerSum", Long.class));
    }
  }

  @Test
  void aRolledBackTransactionPutsTheStateBack() {
    try (TestRegistry rivet = TestRegistry.start(registry())) {
      ActorHandle h = rivet.client().getOrCreate("account", Key.of("b"));
      assertEquals(105L, h.action("move", Long.class, 5L, false));
      RivetError e = assertThrows(RivetError.class,
          () -> h.action("move", Long.class, 50L, true));
      assertEquals("rivetkit.internal_error", e.qualifiedCode());
      assertEquals(105L, h.action("balance", Long.class));
      assertEquals(5L, h.action("ledgerSum", Long.class));
      rivet.restart();
      assertEquals(105L, rivet.client().get("account", Key.of("b")).action("balance",
          Long.class));
    }
  }

  @Test
  void aRolledBackSavepointUndoesOnlyItsOwnStateChange() {
    try (TestRegistry rivet = TestRegistry.start(registry())) {
      ActorHandle h = rivet.client().getOrCreate("account", Key.of("c"));
      assertEquals(101L, h.action("nested", Long.class));
      assertEquals(1L, h.action("ledgerSum", Long.class));
      h.action("sleep", Void.class);
      rivet.awaitSleeping("account", Key.of("c"));
      assertEquals(101L, h.action("balance", Long.class));
    }
  }

  @Test
  void stateChangedOutsideTransactionsIsSavedWithTheTurn() {
    try (TestRegistry rivet = TestRegistry.start(registry())) {
      ActorHandle h = rivet.client().getOrCreate("account", Key.of("d"));
      h.action("set", Account.class, 7L);
      rivet.restart();
      ActorHandle again = rivet.client().get("account", Key.of("d"));
      assertEquals(7L, again.action("balance", Long.class));
      assertEquals(0L, again.action("ledgerSum", Long.class));
    }
  }

  @Test
  void aTransactionOffTheActorsThreadIsRefused() {
    try (TestRegistry rivet = TestRegistry.start(registry())) {
      ActorHandle h = rivet.client().getOrCreate("account", Key.of("e"));
      RivetError e = assertThrows(RivetError.class,
          () -> h.action("moveOffThread", Long.class));
      assertEquals("sqlite.invalid_usage", e.qualifiedCode());
      assertEquals(100L, h.action("balance", Long.class));
      assertEquals(0L, h.action("ledgerSum", Long.class));
    }
  }
}
