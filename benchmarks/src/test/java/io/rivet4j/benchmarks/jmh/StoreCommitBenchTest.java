package io.rivet4j.benchmarks.jmh;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.util.Locale;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Each commit variant sets up, commits its groups durably, and tears down without leftovers. */
class StoreCommitBenchTest {
  @ParameterizedTest
  @CsvSource({"fsync,turns", "fsync,batch", "nosync,turns", "nosync,batch"})
  @Timeout(60)
  void groupsCommitAndTheStoreCloses(String sync, String shape) throws Exception {
    StoreCommitBench bench = new StoreCommitBench();
    bench.sync = sync;
    bench.shape = shape;
    bench.open();
    try {
      long before = bench.transactions();
      assertNull(bench.writes1());
      assertNull(bench.writes16());
      assertNull(bench.writes256());
      long transactions = bench.transactions() - before;
      assertTrue(transactions >= 3 && transactions <= 1 + 16 + 256,
          "transactions: " + transactions);

      if (bench.store != null) { // the last group wrote version 3 into every actor's state
        for (int i : new int[] {0, 15, 255}) {
          String id = String.format(Locale.ROOT, "jmh%013d", i);
          byte[] value = bench.store.get(id, StoreCommitBench.STATE_KEY).orElseThrow();
          assertEquals(StoreCommitBench.VALUE_BYTES, value.length);
          assertArrayEquals(new byte[] {0, 0, 0, 0, 0, 0, 0, 3}, java.util.Arrays.copyOf(value, 8),
              "actor " + i);
        }
      }
    } finally {
      bench.close();
    }
    assertFalse(Files.exists(bench.dir), "the data directory is deleted");
  }
}
