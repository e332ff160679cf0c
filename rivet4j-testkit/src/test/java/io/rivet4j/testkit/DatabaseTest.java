package io.rivet4j.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rivet4j.api.Actor;
import io.rivet4j.api.ActorHandle;
import io.rivet4j.api.Key;
import io.rivet4j.api.RivetError;
import io.rivet4j.runtime.Registry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** {@code c.db()} wired into the actor lifecycle: migrations first, sleep, destroy. */
class DatabaseTest {
  private static final AtomicInteger MIGRATIONS = new AtomicInteger();

  private static Registry registry() {
    return Registry.builder().actor(Actor.<Long>builder("notes").initialState(0L)
        .noMigrationTemplate() // MIGRATIONS counts the runs on actors' own databases only
        .onMigrate(db -> {
          MIGRATIONS.incrementAndGet();
          db.executeScript("CREATE TABLE IF NOT EXISTS notes (id INTEGER PRIMARY KEY"
              + " AUTOINCREMENT, text TEXT NOT NULL)");
        })
        .action("add", (c, a) -> c.db().execute("INSERT INTO notes (text) VALUES (?) RETURNING id",
            a.get(0, String.class)).get(0).get("id"))
        .action("list", (c, a) -> c.db().execute("SELECT id, text FROM notes ORDER BY id"))
        .action("addBoth", (c, a) -> c.db().transaction(db -> {
          db.execute("INSERT INTO notes (text) VALUES (?)", a.get(0, String.class));
          if (a.get(1, Boolean.class)) {
            throw new IllegalStateException("fail after the first insert");
          }
          db.execute("INSERT INTO notes (text) VALUES (?)", a.get(0, String.class) + "!");
          return null;
        }))
        .action("sleep", (c, a) -> {
          c.sleep();
          return null;
        })
        .action("destroy", (c, a) -> {
          c.destroy();
          return null;
        }))
        .build();
  }

  @Test
  void migrationRunsOnEveryStartAndRowsSurviveSleep() {
    MIGRATIONS.set(0);
    try (TestRegistry rivet = TestRegistry.start(registry())) {
      ActorHandle h = rivet.client().getOrCreate("notes", Key.of("a"));
      assertEquals(1L, h.action("add", Long.class, "first"));
      assertEquals(1, MIGRATIONS.get());
      h.action("sleep", Void.class);
      rivet.awaitSleeping("notes", Key.of("a"));
      assertEquals(2L, h.action("add", Long.class, "second"));
      assertEquals(2, MIGRATIONS.get());
      assertEquals(List.of(Map.of("id", 1L, "text", "first"), Map.of("id", 2L, "text",
          "second")), h.action("list", List.class));
    }
  }

  @Test
  void transactionCommitsOrRollsBackAsAWhole() {
    try (TestRegistry rivet = TestRegistry.start(registry())) {
      ActorHandle h = rivet.client().getOrCreate("notes", Key.of("tx"));
      h.action("addBoth", Void.class, "ok", false);
      RivetError e = assertThrows(RivetError.class,
          () -> h.action("addBoth", Void.class, "bad", true));
      assertEquals("rivetkit.internal_error", e.qualifiedCode());
      assertEquals(List.of(Map.of("id", 1L, "text", "ok"), Map.of("id", 2L, "text", "ok!")),
          h.action("list", List.class));
    }
  }

  @Test
  void destroyDeletesTheDatabaseFile() throws Exception {
    try (TestRegistry rivet = TestRegistry.start(registry())) {
      ActorHandle h = rivet.client().getOrCreate("notes", Key.of("gone"));
      h.action("add", Long.class, "x");
      String id = h.resolve();
      Path file;
      try (var files = Files.walk(rivet.dataDir().resolve("actors"))) {
        file = files.filter(p -> p.getFileName().toString().equals(id + ".db")).findFirst()
            .orElseThrow();
      }
      assertTrue(Files.exists(file));
      h.action("destroy", Void.class);
      rivet.awaitDestroyed("notes", Key.of("gone"));
      assertFalse(Files.exists(file));
      assertEquals(List.of(), rivet.client().getOrCreate("notes", Key.of("gone"))
          .action("list", List.class));
    }
  }
}
