package io.rivet4j.runtime.spi;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The storage contract: every {@link ActorStore} backend passes these tests. Subclass it, implement
 * {@link #open()}, and override {@link #persistent()} if the backend keeps data across close.
 *
 * <p>Beyond the {@link ActorStore} javadoc, the suite pins down these behaviours, which the runtime
 * relies on:
 * <ul>
 *   <li>a failed commit's future fails with {@link StoreException} ({@link DuplicateKeyException}
 *       for a taken name+key or id, carrying the holder's id);
 *   <li>{@code Put}, {@code Delete}, {@code DeleteRange} and {@code SetAlarm} need the actor to be
 *       in the directory at that point of the batch order (created in the same or an earlier
 *       batch); otherwise the batch fails. {@code DestroyActor} of an unknown actor is a no-op;
 *   <li>{@code SetAlarm} accepts ≥ 0 (set) and -1 (clear), nothing else;
 *   <li>{@code list} with {@code start ≥ end} or {@code limit == 0} is empty, a negative limit
 *       is an {@link IllegalArgumentException}; with {@code reverse} it returns the greatest keys
 *       first;
 *   <li>empty keys and empty values are allowed; arrays are copied in and out;
 *   <li>{@code close()} completes every commit submitted before it; afterwards commits fail and
 *       reads throw, both with {@link StoreException} "store is closed".
 * </ul>
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
public abstract class ActorStoreContract {
  private static final long CREATED_AT = 1_700_000_000_123L;
  private static final HexFormat HEX = HexFormat.of();

  private final List<ActorStore> opened = new ArrayList<>();

  /** The store under test, opened before each test. */
  protected ActorStore store;

  /**
   * Opens a store. Within one test every call must open the same storage: after {@code close()}, a
   * persistent backend's next {@code open()} sees what was committed. The suite closes every store
   * it opened.
   */
  protected abstract ActorStore open() throws Exception;

  /** Whether data committed before {@code close()} is there after the next {@link #open()}. */
  protected boolean persistent() {
    return false;
  }

  @BeforeEach
  final void openStore() throws Exception {
    store = reopen();
  }

  @AfterEach
  final void closeStores() {
    for (ActorStore s : opened) {
      s.close();
    }
  }

  /** Opens the storage again, closing it with the others at the end of the test. */
  protected final ActorStore reopen() throws Exception {
    ActorStore s = open();
    opened.add(s);
    return s;
  }

  // ---------------------------------------------------------------- directory

  @Test
  void createdActorIsFoundByIdAndByKeyWithEveryField() {
    byte[] input = {(byte) 0xa1, 0x61, 0x00, (byte) 0xff};
    commit(new WriteOp.CreateActor(
        new ActorRecord("id-1", "counter", "[\"a\",\"b\"]", CREATED_AT, input)));

    ActorRecord byId = store.findById("id-1").orElseThrow();
    assertRecord("id-1", "counter", "[\"a\",\"b\"]", CREATED_AT, input, byId);
    ActorRecord byKey = store.findByKey("counter", "[\"a\",\"b\"]").orElseThrow();
    assertRecord("id-1", "counter", "[\"a\",\"b\"]", CREATED_AT, input, byKey);
    assertEquals(1, store.actorCount());
  }

  @Test
  void actorWithoutInputHasNullInput() {
    commit(create("id-1", "counter", "k"));
    assertNull(store.findById("id-1").orElseThrow().input());
  }

  @Test
  void lookupsMatchExactlyOnIdNameAndKey() {
    commit(create("id-1", "counter", "k"));
    assertEquals(Optional.empty(), store.findById("id-2"));
    assertEquals(Optional.empty(), store.findById("ID-1"));
    assertEquals(Optional.empty(), store.findByKey("counter", "K"));
    assertEquals(Optional.empty(), store.findByKey("counter", "k "));
    assertEquals(Optional.empty(), store.findByKey("chat", "k"));
    assertEquals(Optional.empty(), store.findByKey("", ""));
  }

  @Test
  void sameKeyUnderAnotherNameIsADifferentActor() {
    commit(create("id-1", "counter", "k"), create("id-2", "chat", "k"),
        create("id-3", "counter", "k2"));
    assertEquals("id-1", store.findByKey("counter", "k").orElseThrow().actorId());
    assertEquals("id-2", store.findByKey("chat", "k").orElseThrow().actorId());
    assertEquals("id-3", store.findByKey("counter", "k2").orElseThrow().actorId());
    assertEquals(3, store.actorCount());
  }

  @Test
  void nonAsciiNamesAndKeysRoundTrip() {
    String key = "[\"ключ\",\"🔑\",\"a/b\\\\c\"]";
    commit(create("id-é", "名前", key));
    assertEquals("id-é", store.findByKey("名前", key).orElseThrow().actorId());
    assertEquals(key, store.findById("id-é").orElseThrow().key());
  }

  @Test
  void duplicateNameAndKeyFailsTheWholeBatchAndNamesTheHolder() {
    commit(create("id-1", "counter", "k"));

    Throwable error = failure(store.commit(WriteBatch.of(
        put("id-1", "x", "1"),
        create("id-2", "counter", "other"),
        put("id-2", "y", "2"),
        create("id-3", "counter", "k"))));

    DuplicateKeyException dup = assertInstanceOf(DuplicateKeyException.class, error);
    assertEquals("id-1", dup.existingActorId());
    assertEquals(Optional.empty(), store.get("id-1", bytes("x")));
    assertEquals(Optional.empty(), store.findById("id-2"));
    assertEquals(Optional.empty(), store.findByKey("counter", "other"));
    assertEquals(Optional.empty(), store.get("id-2", bytes("y")));
    assertEquals(Optional.empty(), store.findById("id-3"));
    assertEquals("id-1", store.findByKey("counter", "k").orElseThrow().actorId());
    assertEquals(1, store.actorCount());
  }

  @Test
  void duplicateActorIdFailsWithThatId() {
    commit(create("id-1", "counter", "k"));
    Throwable error = failure(store.commit(WriteBatch.of(create("id-1", "counter", "k2"))));
    assertEquals("id-1", assertInstanceOf(DuplicateKeyException.class, error).existingActorId());
    assertEquals(Optional.empty(), store.findByKey("counter", "k2"));
    assertEquals("k", store.findById("id-1").orElseThrow().key());
  }

  @Test
  void duplicateInsideOneBatchFailsTheBatch() {
    Throwable error = failure(store.commit(WriteBatch.of(
        create("id-1", "counter", "k"), create("id-2", "counter", "k"))));
    assertEquals("id-1", assertInstanceOf(DuplicateKeyException.class, error).existingActorId());
    assertEquals(0, store.actorCount());
    assertEquals(Optional.empty(), store.findById("id-1"));
  }

  @Test
  void failingBatchDoesNotDisturbBatchesAroundIt() throws Exception {
    commit(create("id-1", "counter", "k"));
    List<CompletableFuture<Void>> good = new ArrayList<>();
    List<CompletableFuture<Void>> bad = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      good.add(store.commit(WriteBatch.of(put("id-1", "before-" + i, "v"))));
      bad.add(store.commit(WriteBatch.of(
          put("id-1", "bad-" + i, "v"), create("dup-" + i, "counter", "k"))));
      good.add(store.commit(WriteBatch.of(put("id-1", "after-" + i, "v"))));
    }
    for (CompletableFuture<Void> f : good) {
      f.get(30, TimeUnit.SECONDS);
    }
    for (CompletableFuture<Void> f : bad) {
      assertInstanceOf(DuplicateKeyException.class, failure(f));
    }
    for (int i = 0; i < 50; i++) {
      assertValue("v", store.get("id-1", bytes("before-" + i)));
      assertValue("v", store.get("id-1", bytes("after-" + i)));
      assertEquals(Optional.empty(), store.get("id-1", bytes("bad-" + i)));
      assertEquals(Optional.empty(), store.findById("dup-" + i));
    }
    assertEquals(100, store.list("id-1", new byte[0], new byte[] {(byte) 0xff}, 1000, false)
        .size());
  }

  @Test
  void writesToAnUnknownActorFailTheBatch() {
    commit(create("id-1", "counter", "k"));
    for (WriteOp op : List.of(put("ghost", "k", "v"), new WriteOp.Delete("ghost", bytes("k")),
        new WriteOp.DeleteRange("ghost", bytes("a"), bytes("b")),
        new WriteOp.SetAlarm("ghost", 5))) {
      Throwable error = failure(store.commit(WriteBatch.of(put("id-1", "first", "v"), op)));
      assertInstanceOf(StoreException.class, error, () -> "for " + op);
      assertFalse(error instanceof DuplicateKeyException, () -> "for " + op);
    }
    assertEquals(Optional.empty(), store.get("id-1", bytes("first")));
    assertEquals(Optional.empty(), store.get("ghost", bytes("k")));
    assertEquals(List.of(), store.alarms());
  }

  @Test
  void actorCreatedEarlierInTheBatchCanBeWritten() {
    commit(create("id-1", "counter", "k"), put("id-1", "state", "s0"),
        new WriteOp.SetAlarm("id-1", 42));
    assertValue("s0", store.get("id-1", bytes("state")));
    assertEquals(List.of(new Alarm("id-1", "counter", 42)), store.alarms());
  }

  @Test
  void emptyBatchCommits() throws Exception {
    assertNull(store.commit(new WriteBatch(List.of())).get(30, TimeUnit.SECONDS));
  }

  @Test
  void actorCountFollowsCreatesAndDestroys() {
    assertEquals(0, store.actorCount());
    commit(create("a", "n", "1"), create("b", "n", "2"), create("c", "n", "3"));
    assertEquals(3, store.actorCount());
    commit(new WriteOp.DestroyActor("b"));
    assertEquals(2, store.actorCount());
  }

  // ---------------------------------------------------------------- kv

  @Test
  void putGetOverwriteDelete() {
    commit(create("id-1", "counter", "k"));
    assertEquals(Optional.empty(), store.get("id-1", bytes("state")));

    commit(put("id-1", "state", "v1"));
    assertValue("v1", store.get("id-1", bytes("state")));

    commit(put("id-1", "state", "v2"));
    assertValue("v2", store.get("id-1", bytes("state")));

    commit(new WriteOp.Delete("id-1", bytes("state")));
    assertEquals(Optional.empty(), store.get("id-1", bytes("state")));

    commit(new WriteOp.Delete("id-1", bytes("state"))); // absent: no-op
    assertEquals(Optional.empty(), store.get("id-1", bytes("state")));
  }

  @Test
  void emptyKeyAndEmptyValueAreStored() {
    commit(create("id-1", "counter", "k"),
        new WriteOp.Put("id-1", new byte[0], bytes("empty key")),
        new WriteOp.Put("id-1", bytes("empty value"), new byte[0]));
    assertValue("empty key", store.get("id-1", new byte[0]));
    assertArrayEquals(new byte[0], store.get("id-1", bytes("empty value")).orElseThrow());
    List<KvEntry> all = store.list("id-1", new byte[0], new byte[] {(byte) 0xff}, 10, false);
    assertEquals(List.of("", hex(bytes("empty value"))), hexKeys(all));
    assertArrayEquals(new byte[0], all.get(1).value());
  }

  @Test
  void kvSpacesAreSeparatePerActor() {
    commit(create("a", "counter", "1"), create("b", "counter", "2"),
        put("a", "state", "A"), put("b", "state", "B"));
    assertValue("A", store.get("a", bytes("state")));
    assertValue("B", store.get("b", bytes("state")));
    commit(new WriteOp.Delete("a", bytes("state")));
    assertEquals(Optional.empty(), store.get("a", bytes("state")));
    assertValue("B", store.get("b", bytes("state")));
    assertEquals(Optional.empty(), store.get("c", bytes("state")));
  }

  @Test
  void opsInsideABatchApplyInOrder() {
    commit(create("id-1", "counter", "k"));
    commit(
        put("id-1", "twice", "1"), put("id-1", "twice", "2"),
        put("id-1", "put-delete", "1"), new WriteOp.Delete("id-1", bytes("put-delete")),
        new WriteOp.Delete("id-1", bytes("delete-put")), put("id-1", "delete-put", "1"),
        put("id-1", "r1", "1"), new WriteOp.DeleteRange("id-1", bytes("r"), bytes("s")),
        put("id-1", "r2", "1"));
    assertValue("2", store.get("id-1", bytes("twice")));
    assertEquals(Optional.empty(), store.get("id-1", bytes("put-delete")));
    assertValue("1", store.get("id-1", bytes("delete-put")));
    assertEquals(Optional.empty(), store.get("id-1", bytes("r1")));
    assertValue("1", store.get("id-1", bytes("r2")));
  }

  @Test
  void arraysAreCopiedInAndOut() {
    byte[] key = bytes("key");
    byte[] value = bytes("value");
    byte[] input = bytes("input");
    commit(new WriteOp.CreateActor(new ActorRecord("id-1", "counter", "k", CREATED_AT, input)),
        new WriteOp.Put("id-1", key, value));
    key[0] = 'X';
    value[0] = 'X';
    input[0] = 'X';
    assertValue("value", store.get("id-1", bytes("key")));
    assertArrayEquals(bytes("input"), store.findById("id-1").orElseThrow().input());

    store.get("id-1", bytes("key")).orElseThrow()[0] = 'Y';
    store.findById("id-1").orElseThrow().input()[0] = 'Y';
    store.list("id-1", new byte[0], bytes("z"), 10, false).get(0).value()[0] = 'Y';
    assertValue("value", store.get("id-1", bytes("key")));
    assertArrayEquals(bytes("input"), store.findById("id-1").orElseThrow().input());
  }

  /** Keys in unsigned byte order, shorter before longer when one is a prefix of the other. */
  private static final List<String> ORDERED_KEYS = List.of(
      "", "00", "0000", "01", "61", "6100", "6162", "7f", "7fff", "80", "8000", "fe", "ff", "ffff");

  private void putOrderedKeys(String actorId) {
    List<String> shuffled = new ArrayList<>(ORDERED_KEYS);
    Collections.shuffle(shuffled, new Random(7));
    List<WriteOp> ops = new ArrayList<>();
    for (String k : shuffled) {
      ops.add(new WriteOp.Put(actorId, HEX.parseHex(k), bytes(actorId + ":" + k)));
    }
    commit(ops.toArray(WriteOp[]::new));
  }

  @Test
  void listOrdersKeysAsUnsignedBytes() {
    commit(create("a", "n", "1"), create("b", "n", "2"));
    putOrderedKeys("a");
    putOrderedKeys("b");
    byte[] all = HEX.parseHex("ffffff");

    List<KvEntry> entries = store.list("a", new byte[0], all, 1000, false);
    assertEquals(ORDERED_KEYS, hexKeys(entries));
    for (KvEntry e : entries) {
      assertEquals("a:" + hex(e.key()), new String(e.value(), UTF_8));
    }

    List<String> reversed = new ArrayList<>(ORDERED_KEYS);
    Collections.reverse(reversed);
    assertEquals(reversed, hexKeys(store.list("a", new byte[0], all, 1000, true)));
  }

  @Test
  void listStartIsInclusiveEndIsExclusive() {
    commit(create("a", "n", "1"));
    putOrderedKeys("a");
    assertEquals(List.of("7f", "7fff", "80"),
        hexKeys(store.list("a", HEX.parseHex("7f"), HEX.parseHex("8000"), 100, false)));
    assertEquals(List.of("80", "7fff", "7f"),
        hexKeys(store.list("a", HEX.parseHex("7f"), HEX.parseHex("8000"), 100, true)));
    assertEquals(List.of("7fff", "80"),
        hexKeys(store.list("a", HEX.parseHex("7f00"), HEX.parseHex("8000"), 100, false)));
    assertEquals(List.of("ff"),
        hexKeys(store.list("a", HEX.parseHex("fe01"), HEX.parseHex("ffff"), 100, false)));
    assertEquals(List.of("61", "6100", "6162"),
        hexKeys(store.list("a", bytes("a"), bytes("b"), 100, false)));
  }

  @Test
  void listLimitTakesFromTheStartOfTheDirection() {
    commit(create("a", "n", "1"));
    putOrderedKeys("a");
    byte[] all = HEX.parseHex("ffffff");
    assertEquals(List.of("", "00", "0000"), hexKeys(store.list("a", new byte[0], all, 3, false)));
    assertEquals(List.of("ffff", "ff", "fe"), hexKeys(store.list("a", new byte[0], all, 3, true)));
    assertEquals(List.of("80"), hexKeys(store.list("a", HEX.parseHex("80"), all, 1, false)));
    assertEquals(ORDERED_KEYS, hexKeys(store.list("a", new byte[0], all, ORDERED_KEYS.size(),
        false)));
  }

  @Test
  void listOfEmptyOrInvertedRangesIsEmpty() {
    commit(create("a", "n", "1"));
    putOrderedKeys("a");
    byte[] all = HEX.parseHex("ffffff");
    assertEquals(List.of(), store.list("a", HEX.parseHex("80"), HEX.parseHex("80"), 10, false));
    assertEquals(List.of(), store.list("a", HEX.parseHex("ff"), HEX.parseHex("80"), 10, false));
    assertEquals(List.of(), store.list("a", HEX.parseHex("ff"), HEX.parseHex("80"), 10, true));
    assertEquals(List.of(), store.list("a", new byte[0], all, 0, false));
    assertEquals(List.of(), store.list("unknown", new byte[0], all, 10, false));
    assertThrows(IllegalArgumentException.class,
        () -> store.list("a", new byte[0], all, -1, false));
  }

  @Test
  void deleteRangeRemovesExactlyTheHalfOpenRange() {
    commit(create("a", "n", "1"), create("b", "n", "2"));
    putOrderedKeys("a");
    putOrderedKeys("b");
    byte[] all = HEX.parseHex("ffffff");

    commit(new WriteOp.DeleteRange("a", HEX.parseHex("6100"), HEX.parseHex("ff")));
    assertEquals(List.of("", "00", "0000", "01", "61", "ff", "ffff"),
        hexKeys(store.list("a", new byte[0], all, 100, false)));
    assertEquals(ORDERED_KEYS, hexKeys(store.list("b", new byte[0], all, 100, false)));

    commit(new WriteOp.DeleteRange("a", HEX.parseHex("ff"), HEX.parseHex("01"))); // inverted
    commit(new WriteOp.DeleteRange("a", HEX.parseHex("01"), HEX.parseHex("01"))); // empty
    assertEquals(List.of("", "00", "0000", "01", "61", "ff", "ffff"),
        hexKeys(store.list("a", new byte[0], all, 100, false)));

    commit(new WriteOp.DeleteRange("a", new byte[0], all));
    assertEquals(List.of(), store.list("a", new byte[0], all, 100, false));
  }

  @Test
  void largestKeysAndValuesRoundTrip() {
    commit(create("a", "n", "1"));
    Random random = new Random(42);
    List<WriteOp> ops = new ArrayList<>();
    List<byte[]> keys = new ArrayList<>();
    List<byte[]> values = new ArrayList<>();
    for (int i = 0; i < 128; i++) { // the runtime's largest batch: 128 keys
      byte[] key = new byte[2048];
      random.nextBytes(key);
      key[0] = (byte) (0x80 + i); // distinct, ordered, and ≥ 0x80
      byte[] value = new byte[128 * 1024];
      random.nextBytes(value);
      keys.add(key);
      values.add(value);
      ops.add(new WriteOp.Put("a", key, value));
    }
    commit(ops.toArray(WriteOp[]::new));

    for (int i = 0; i < 128; i++) {
      assertArrayEquals(values.get(i), store.get("a", keys.get(i)).orElseThrow(), "value " + i);
    }
    List<KvEntry> listed = store.list("a", new byte[0], HEX.parseHex("ffff"), 1000, false);
    assertEquals(128, listed.size());
    for (int i = 0; i < 128; i++) {
      assertArrayEquals(keys.get(i), listed.get(i).key(), "key " + i);
      assertArrayEquals(values.get(i), listed.get(i).value(), "listed value " + i);
    }
  }

  // ---------------------------------------------------------------- alarms

  @Test
  void alarmsAreSetOverwrittenAndCleared() {
    commit(create("a", "counter", "1"), create("b", "chat", "2"), create("c", "chat", "3"));
    assertEquals(List.of(), store.alarms());

    commit(new WriteOp.SetAlarm("a", 1_000), new WriteOp.SetAlarm("b", 500),
        new WriteOp.SetAlarm("c", 0));
    assertEquals(List.of(new Alarm("a", "counter", 1_000), new Alarm("b", "chat", 500),
        new Alarm("c", "chat", 0)), sortedAlarms());

    commit(new WriteOp.SetAlarm("a", 2_000));
    assertEquals(List.of(new Alarm("a", "counter", 2_000), new Alarm("b", "chat", 500),
        new Alarm("c", "chat", 0)), sortedAlarms());

    commit(new WriteOp.SetAlarm("a", -1), new WriteOp.SetAlarm("c", -1));
    assertEquals(List.of(new Alarm("b", "chat", 500)), sortedAlarms());

    commit(new WriteOp.SetAlarm("a", -1)); // already clear: no-op
    assertEquals(List.of(new Alarm("b", "chat", 500)), sortedAlarms());
  }

  @Test
  void alarmTimeBelowMinusOneIsRejected() {
    commit(create("a", "counter", "1"));
    Throwable error = failure(store.commit(WriteBatch.of(
        new WriteOp.SetAlarm("a", 10), new WriteOp.SetAlarm("a", -2))));
    assertInstanceOf(StoreException.class, error);
    assertEquals(List.of(), store.alarms());
  }

  // ---------------------------------------------------------------- destroy

  @Test
  void destroyRemovesRecordKvAndAlarmAndFreesTheKey() {
    commit(new WriteOp.CreateActor(new ActorRecord("a", "counter", "k", CREATED_AT, bytes("in"))),
        put("a", "state", "1"), put("a", "x", "2"), new WriteOp.SetAlarm("a", 99),
        create("other", "counter", "k2"), put("other", "state", "o"),
        new WriteOp.SetAlarm("other", 77));

    commit(new WriteOp.DestroyActor("a"));

    assertEquals(Optional.empty(), store.findById("a"));
    assertEquals(Optional.empty(), store.findByKey("counter", "k"));
    assertEquals(Optional.empty(), store.get("a", bytes("state")));
    assertEquals(List.of(), store.list("a", new byte[0], HEX.parseHex("ffff"), 10, false));
    assertEquals(List.of(new Alarm("other", "counter", 77)), store.alarms());
    assertEquals(1, store.actorCount());
    assertValue("o", store.get("other", bytes("state")));

    // the key is free again; a new actor, even with the old id, starts empty
    commit(create("a2", "counter", "k"));
    assertEquals("a2", store.findByKey("counter", "k").orElseThrow().actorId());
    commit(create("a", "counter", "k3"));
    assertEquals(Optional.empty(), store.get("a", bytes("state")));
    assertEquals(List.of(), store.list("a", new byte[0], HEX.parseHex("ffff"), 10, false));
    assertEquals(List.of(new Alarm("other", "counter", 77)), store.alarms());
  }

  @Test
  void destroyOfAnUnknownActorIsANoOp() {
    commit(create("a", "counter", "k"));
    commit(new WriteOp.DestroyActor("ghost"));
    assertEquals(1, store.actorCount());
  }

  @Test
  void destroyedActorCannotBeWrittenAgain() {
    commit(create("a", "counter", "k"), new WriteOp.DestroyActor("a"));
    assertInstanceOf(StoreException.class,
        failure(store.commit(WriteBatch.of(put("a", "state", "zombie")))));
    assertEquals(Optional.empty(), store.get("a", bytes("state")));
  }

  @Test
  void forgetChangesNothingThatReadsOrCommitsSee() {
    commit(create("a", "counter", "k"), put("a", "state", "1"));
    store.forget("a");
    store.forget("ghost"); // unknown: harmless
    assertValue("1", store.get("a", bytes("state")));
    commit(put("a", "state", "2")); // still known to exist after the hint
    assertValue("2", store.get("a", bytes("state")));
    store.forget("a");
    commit(new WriteOp.DestroyActor("a"));
    store.forget("a");
    assertInstanceOf(StoreException.class,
        failure(store.commit(WriteBatch.of(put("a", "state", "zombie")))));
    assertEquals(Optional.empty(), store.get("a", bytes("state")));
  }

  @Test
  void createWriteDestroyInOneBatchLeavesNothing() {
    commit(create("a", "counter", "k"), put("a", "state", "1"), new WriteOp.SetAlarm("a", 5),
        new WriteOp.DestroyActor("a"));
    assertEquals(0, store.actorCount());
    assertEquals(List.of(), store.alarms());
    commit(create("a", "counter", "k"));
    assertEquals(Optional.empty(), store.get("a", bytes("state")));
  }

  // ---------------------------------------------------------------- ordering and concurrency

  @Test
  void batchesFromOneThreadApplyInSubmissionOrder() throws Exception {
    List<CompletableFuture<Void>> futures = new ArrayList<>();
    futures.add(store.commit(WriteBatch.of(create("a", "counter", "k"))));
    futures.add(store.commit(WriteBatch.of(put("a", "marker-0", "0")))); // needs the create first
    for (int i = 1; i < 1000; i++) {
      futures.add(store.commit(WriteBatch.of(
          new WriteOp.Delete("a", bytes("marker-" + (i - 1))),
          put("a", "marker-" + i, Integer.toString(i)),
          put("a", "seq", Integer.toString(i)))));
    }
    for (CompletableFuture<Void> f : futures) {
      f.get(30, TimeUnit.SECONDS);
    }
    assertValue("999", store.get("a", bytes("seq")));
    // a batch applied before its predecessor would have left the predecessor's marker behind
    assertEquals(List.of(hex(bytes("marker-999"))),
        hexKeys(store.list("a", bytes("marker-"), bytes("marker."), 10, false)));
  }

  @Test
  void concurrentCommitsFromManyThreadsAllApply() throws Exception {
    int threads = 16;
    int perThread = 100;
    commit(create("shared", "counter", "shared"));
    CountDownLatch start = new CountDownLatch(1);
    List<Future<List<CompletableFuture<Void>>>> results = new ArrayList<>();
    try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
      for (int t = 0; t < threads; t++) {
        String id = "t" + t;
        results.add(pool.submit(() -> {
          start.await();
          List<CompletableFuture<Void>> fs = new ArrayList<>();
          fs.add(store.commit(WriteBatch.of(create(id, "counter", id))));
          for (int i = 0; i < perThread; i++) {
            fs.add(store.commit(WriteBatch.of(put(id, "k" + i, id + "/" + i),
                put("shared", id + "/" + i, "v"))));
            if (i % 10 == 0) {
              fs.get(fs.size() - 1).get(30, TimeUnit.SECONDS); // mix waiting and pipelining
            }
          }
          return fs;
        }));
      }
      start.countDown();
      for (Future<List<CompletableFuture<Void>>> r : results) {
        for (CompletableFuture<Void> f : r.get(60, TimeUnit.SECONDS)) {
          assertNull(f.get(30, TimeUnit.SECONDS));
        }
      }
    }
    assertEquals(threads + 1, store.actorCount());
    byte[] all = HEX.parseHex("ffff");
    assertEquals(threads * perThread, store.list("shared", new byte[0], all, 100_000, false)
        .size());
    for (int t = 0; t < threads; t++) {
      assertEquals(perThread, store.list("t" + t, new byte[0], all, 100_000, false).size());
      for (int i = 0; i < perThread; i++) {
        assertValue("t" + t + "/" + i, store.get("t" + t, bytes("k" + i)));
      }
    }
  }

  @Test
  void readAfterCommitSeesTheCommitOnAnyThread() throws Exception {
    commit(create("a", "counter", "k"));
    try (ExecutorService readers = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < 200; i++) {
        String expected = Integer.toString(i);
        store.commit(WriteBatch.of(put("a", "state", expected))).get(30, TimeUnit.SECONDS);
        assertValue(expected, store.get("a", bytes("state")));
        Future<Optional<byte[]>> other = readers.submit(() -> store.get("a", bytes("state")));
        assertValue(expected, other.get(30, TimeUnit.SECONDS));
      }
    }
  }

  @Test
  void concurrentReadersSeeWholeBatchesInOrder() throws Exception {
    commit(create("a", "counter", "k"), put("a", "k1", 0L), put("a", "k2", 0L));
    AtomicBoolean done = new AtomicBoolean();
    List<Future<Integer>> readers = new ArrayList<>();
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int r = 0; r < 4; r++) {
        readers.add(pool.submit(() -> {
          long last = 0;
          int reads = 0;
          do {
            List<KvEntry> both = store.list("a", bytes("k1"), bytes("k3"), 10, false);
            assertEquals(2, both.size());
            long first = ByteBuffer.wrap(both.get(0).value()).getLong();
            long second = ByteBuffer.wrap(both.get(1).value()).getLong();
            assertEquals(first, second, "a batch was seen half applied");
            assertTrue(first >= last, "went back from " + last + " to " + first);
            last = first;
            reads++;
          } while (!done.get());
          return reads;
        }));
      }
      try {
        List<CompletableFuture<Void>> writes = new ArrayList<>();
        for (long i = 1; i <= 300; i++) {
          writes.add(store.commit(WriteBatch.of(put("a", "k1", i), put("a", "k2", i))));
          if (i % 30 == 0) {
            writes.get(writes.size() - 1).get(30, TimeUnit.SECONDS);
          }
        }
        for (CompletableFuture<Void> w : writes) {
          w.get(30, TimeUnit.SECONDS);
        }
      } finally {
        done.set(true);
      }
      for (Future<Integer> r : readers) {
        assertTrue(r.get(60, TimeUnit.SECONDS) >= 1);
      }
    }
    assertEquals(300L, ByteBuffer.wrap(store.get("a", bytes("k2")).orElseThrow()).getLong());
  }

  // ---------------------------------------------------------------- close and persistence

  @Test
  void closeCompletesCommitsSubmittedBeforeIt() throws Exception {
    commit(create("a", "counter", "k"));
    List<CompletableFuture<Void>> futures = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      futures.add(store.commit(WriteBatch.of(put("a", "k" + i, "v"))));
    }
    store.close();
    for (CompletableFuture<Void> f : futures) {
      assertTrue(f.isDone(), "close() returned before a pending commit completed");
      assertNull(f.get(0, TimeUnit.SECONDS));
    }
  }

  @Test
  void afterCloseCommitsFailAndReadsThrow() {
    commit(create("a", "counter", "k"));
    store.close();
    Throwable error = failure(store.commit(WriteBatch.of(put("a", "k", "v"))));
    assertEquals(StoreException.class, error.getClass());
    assertEquals("store is closed", error.getMessage());
    assertThrows(StoreException.class, () -> store.get("a", bytes("k")));
    assertThrows(StoreException.class, () -> store.findById("a"));
    assertThrows(StoreException.class, () -> store.alarms());
  }

  @Test
  void closeIsIdempotent() {
    store.close();
    assertDoesNotThrow(store::close);
    assertDoesNotThrow(store::close);
  }

  @Test
  void committedDataSurvivesCloseAndReopen() throws Exception {
    assumeTrue(persistent(), "this backend does not persist across close");
    byte[] input = {1, 2, (byte) 0x80};
    commit(new WriteOp.CreateActor(new ActorRecord("a", "counter", "k", CREATED_AT, input)),
        put("a", "state", "s"), new WriteOp.SetAlarm("a", 1234),
        create("gone", "counter", "g"), put("gone", "state", "x"));
    commit(new WriteOp.DestroyActor("gone"));
    putOrderedKeys("a");
    List<CompletableFuture<Void>> pending = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      pending.add(store.commit(WriteBatch.of(put("a", "p" + i, Integer.toString(i)))));
    }
    store.close();

    ActorStore again = reopen();
    assertRecord("a", "counter", "k", CREATED_AT, input, again.findById("a").orElseThrow());
    assertEquals("a", again.findByKey("counter", "k").orElseThrow().actorId());
    assertValue("s", again.get("a", bytes("state")));
    assertEquals(List.of(new Alarm("a", "counter", 1234)), again.alarms());
    assertEquals(Optional.empty(), again.findById("gone"));
    assertEquals(Optional.empty(), again.get("gone", bytes("state")));
    assertEquals(1, again.actorCount());
    for (int i = 0; i < 200; i++) {
      assertNull(pending.get(i).getNow(null));
      assertValue(Integer.toString(i), again.get("a", bytes("p" + i)));
    }
    assertEquals(ORDERED_KEYS.subList(0, 4),
        hexKeys(again.list("a", new byte[0], HEX.parseHex("02"), 100, false)));

    commit(again, put("a", "after", "reopen"));
    assertValue("reopen", again.get("a", bytes("after")));
  }

  // ---------------------------------------------------------------- helpers

  protected final void commit(WriteOp... ops) {
    commit(store, ops);
  }

  protected static void commit(ActorStore target, WriteOp... ops) {
    try {
      target.commit(WriteBatch.of(ops)).get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw new AssertionError("commit failed: " + e.getCause(), e.getCause());
    } catch (InterruptedException | TimeoutException e) {
      throw new AssertionError("commit did not complete", e);
    }
  }

  /** The error a commit future failed with; fails the test if it completed normally. */
  protected static Throwable failure(CompletableFuture<?> future) {
    try {
      future.get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      assertNotNull(e.getCause());
      return e.getCause();
    } catch (InterruptedException | TimeoutException e) {
      throw new AssertionError("commit did not complete", e);
    }
    return fail("the commit was expected to fail but succeeded");
  }

  protected static WriteOp create(String id, String name, String key) {
    return new WriteOp.CreateActor(new ActorRecord(id, name, key, CREATED_AT, null));
  }

  protected static WriteOp put(String actorId, String key, String value) {
    return new WriteOp.Put(actorId, bytes(key), bytes(value));
  }

  private static WriteOp put(String actorId, String key, long value) {
    return new WriteOp.Put(actorId, bytes(key), ByteBuffer.allocate(8).putLong(value).array());
  }

  protected static byte[] bytes(String s) {
    return s.getBytes(UTF_8);
  }

  private static String hex(byte[] b) {
    return HEX.formatHex(b);
  }

  private static List<String> hexKeys(List<KvEntry> entries) {
    return entries.stream().map(e -> hex(e.key())).toList();
  }

  private static void assertValue(String expected, Optional<byte[]> actual) {
    assertTrue(actual.isPresent(), () -> "expected \"" + expected + "\" but the key is absent");
    assertEquals(expected, new String(actual.orElseThrow(), UTF_8));
  }

  private List<Alarm> sortedAlarms() {
    return store.alarms().stream().sorted(Comparator.comparing(Alarm::actorId)).toList();
  }

  private static void assertRecord(String id, String name, String key, long createdAt,
      byte[] input, ActorRecord actual) {
    assertEquals(id, actual.actorId());
    assertEquals(name, actual.name());
    assertEquals(key, actual.key());
    assertEquals(createdAt, actual.createdAtMillis());
    assertArrayEquals(input, actual.input());
  }
}
