package io.rivet4j.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.rivet4j.api.Actor;
import io.rivet4j.api.ActorHandle;
import io.rivet4j.api.Key;
import io.rivet4j.api.Kv;
import io.rivet4j.api.RivetError;
import io.rivet4j.runtime.Registry;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** {@code c.kv()}: text and binary entries, ordering, limits, durability (semantics §6.1). */
class KvTest {
  private static Registry registry() {
    return Registry.builder().actor(Actor.<Long>builder("kv").initialState(0L)
        .action("put", (c, a) -> {
          c.kv().put(a.get(0, String.class), a.get(1, String.class));
          return null;
        })
        .action("putBytes", (c, a) -> {
          c.kv().put(a.get(0, byte[].class), a.get(1, byte[].class));
          return null;
        })
        .action("get", (c, a) -> c.kv().get(a.get(0, String.class)).orElse(null))
        .action("getBytes", (c, a) -> c.kv().get(a.get(0, byte[].class)).orElse(null))
        .action("delete", (c, a) -> {
          c.kv().delete(a.get(0, String.class));
          return null;
        })
        .action("deleteRange", (c, a) -> {
          c.kv().deleteRange(a.get(0, byte[].class), a.get(1, byte[].class));
          return null;
        })
        .action("listPrefix", (c, a) -> keys(c.kv().listPrefix(a.get(0, byte[].class),
            new Kv.ListOptions(a.get(1, Integer.class), a.get(2, Boolean.class)))))
        .action("listRange", (c, a) -> keys(c.kv().listRange(a.get(0, byte[].class),
            a.get(1, byte[].class), Kv.ListOptions.DEFAULT)))
        .action("batchPut", (c, a) -> {
          int n = a.get(0, Integer.class);
          List<Kv.Entry> entries = new ArrayList<>();
          for (int i = 0; i < n; i++) {
            entries.add(new Kv.Entry(("b" + i).getBytes(), new byte[] {(byte) i}));
          }
          c.kv().batchPut(entries);
          return null;
        })
        .action("putAndCount", (c, a) -> {
          c.kv().put(a.get(0, String.class), "x");
          return c.updateState(s -> s + 1);
        })
        .action("destroy", (c, a) -> {
          c.destroy();
          return null;
        }))
        .build();
  }

  private static List<List<Integer>> keys(List<Kv.Entry> entries) {
    List<List<Integer>> out = new ArrayList<>();
    for (Kv.Entry e : entries) {
      List<Integer> k = new ArrayList<>();
      for (byte b : e.key()) {
        k.add(b & 0xFF);
      }
      out.add(k);
    }
    return out;
  }

  @Test
  void textAndBinaryEntriesRoundTripAndSurviveRestart() {
    try (TestRegistry rivet = TestRegistry.start(registry())) {
      ActorHandle h = rivet.client().getOrCreate("kv", Key.of("a"));
      assertEquals(null, h.action("get", String.class, "missing"));
      h.action("put", Void.class, "greeting", "héllo ✓");
      h.action("putBytes", Void.class, new byte[] {0, (byte) 0xFF}, new byte[] {1, 2, 3});
      assertEquals("héllo ✓", h.action("get", String.class, "greeting"));
      assertArrayEquals(new byte[] {1, 2, 3},
          h.action("getBytes", byte[].class, new byte[] {0, (byte) 0xFF}));
      rivet.restart();
      ActorHandle again = rivet.client().getOrCreate("kv", Key.of("a"));
      assertEquals("héllo ✓", again.action("get", String.class, "greeting"));
      again.action("delete", Void.class, "greeting");
      assertEquals(null, again.action("get", String.class, "greeting"));
    }
  }

  @Test
  void listingUsesUnsignedByteOrderWithLimitAndReverse() {
    try (TestRegistry rivet = TestRegistry.start(registry())) {
      ActorHandle h = rivet.client().getOrCreate("kv", Key.of("list"));
      for (int b : new int[] {0x90, 0x01, 0x7F, 0xFF, 0x80}) {
        h.action("putBytes", Void.class, new byte[] {'p', (byte) b}, new byte[] {1});
      }
      h.action("putBytes", Void.class, new byte[] {'q'}, new byte[] {1});
      assertEquals(List.of(List.of(0x70, 0x01), List.of(0x70, 0x7F), List.of(0x70, 0x80),
          List.of(0x70, 0x90), List.of(0x70, 0xFF)),
          h.action("listPrefix", List.class, new byte[] {'p'}, 100, false));
      assertEquals(List.of(List.of(0x70, 0xFF), List.of(0x70, 0x90)),
          h.action("listPrefix", List.class, new byte[] {'p'}, 2, true));
      assertEquals(List.of(List.of(0x70, 0x7F), List.of(0x70, 0x80)),
          h.action("listRange", List.class, new byte[] {'p', 0x7F},
              new byte[] {'p', (byte) 0x90}));
      h.action("deleteRange", Void.class, new byte[] {'p', 0x02}, new byte[] {'p', (byte) 0xFF});
      assertEquals(List.of(List.of(0x70, 0x01), List.of(0x70, 0xFF), List.of(0x71)),
          h.action("listPrefix", List.class, new byte[] {}, 100, false));
    }
  }

  @Test
  void limitsAreEnforcedWithRivetKitErrors() {
    try (TestRegistry rivet = TestRegistry.start(registry())) {
      ActorHandle h = rivet.client().getOrCreate("kv", Key.of("limits"));
      RivetError key = assertThrows(RivetError.class,
          () -> h.action("putBytes", Void.class, new byte[2049], new byte[1]));
      assertEquals("kv.key_too_large", key.qualifiedCode());
      assertEquals("a KV key is 2049 bytes; the limit is 2048", key.getMessage());
      h.action("putBytes", Void.class, new byte[2048], new byte[128 * 1024]); // at the limits
      RivetError value = assertThrows(RivetError.class,
          () -> h.action("putBytes", Void.class, new byte[1], new byte[128 * 1024 + 1]));
      assertEquals("kv.value_too_large", value.qualifiedCode());
      RivetError batch = assertThrows(RivetError.class,
          () -> h.action("batchPut", Void.class, 129));
      assertEquals("kv.batch_too_large", batch.qualifiedCode());
      assertEquals(List.of(), h.action("listPrefix", List.class, "b".getBytes(), 10, false));
      h.action("batchPut", Void.class, 128);
      assertEquals(128, h.action("listPrefix", List.class, "b".getBytes(), 1000, false).size());
    }
  }

  @Test
  void writesAreReadableBeforeTheyAreDurableAndCommitWithTheState() {
    FaultInjectingStore[] store = new FaultInjectingStore[1];
    TestRegistry.Options options = TestRegistry.Options.defaults()
        .withStore(s -> store[0] = new FaultInjectingStore(s));
    try (TestRegistry rivet = TestRegistry.start(registry(), options)) {
      ActorHandle h = rivet.client().getOrCreate("kv", Key.of("pending"));
      h.resolve();
      store[0].hold();
      CompletableFuture<Long> write = h.actionAsync("putAndCount", Long.class, "k")
          .toCompletableFuture();
      CompletableFuture<String> read = h.actionAsync("get", String.class, "k")
          .toCompletableFuture();
      TestConnection.await(CompletableFuture.runAsync(() -> {
        while (store[0].heldCount() < 1) {
          Thread.onSpinWait();
        }
      }));
      assertEquals(1, store[0].heldCount()); // KV write and state change: one batch
      store[0].releaseAll();
      assertEquals(1, write.join());
      assertEquals("x", read.join());
    }
  }

  @Test
  void destroyRemovesTheEntries() {
    try (TestRegistry rivet = TestRegistry.start(registry())) {
      ActorHandle h = rivet.client().getOrCreate("kv", Key.of("gone"));
      h.action("put", Void.class, "k", "v");
      h.action("destroy", Void.class);
      rivet.awaitDestroyed("kv", Key.of("gone"));
      assertEquals(null, rivet.client().getOrCreate("kv", Key.of("gone"))
          .action("get", String.class, "k"));
    }
  }
}
