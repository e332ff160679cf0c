package io.rivet4j.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class InlineProfileTest {
  private static final long FAST = 10_000;
  private static final long SLOW = 2_000_000;

  private static InlineProfile promoted() {
    InlineProfile p = new InlineProfile();
    for (int i = 0; i < InlineProfile.RUNS_TO_PROMOTE; i++) {
      assertFalse(p.eligible(), "run " + i);
      assertFalse(p.observed(FAST, false, false));
    }
    assertTrue(p.eligible());
    return p;
  }

  @Test
  void promotionNeedsThatManyFastRunsInARow() {
    InlineProfile p = new InlineProfile();
    for (int i = 0; i < InlineProfile.RUNS_TO_PROMOTE - 1; i++) {
      p.observed(FAST, false, false);
    }
    p.observed(InlineProfile.FAST_NANOS + 1, false, false); // a slow trial run starts over
    for (int i = 0; i < InlineProfile.RUNS_TO_PROMOTE - 1; i++) {
      p.observed(FAST, false, false);
    }
    assertFalse(p.eligible());
    p.observed(FAST, false, false);
    assertTrue(p.eligible());
  }

  @Test
  void aBlockingRunDemotesForGood() {
    InlineProfile p = promoted();
    assertTrue(p.observed(FAST, true, true));
    assertFalse(p.eligible());
    for (int i = 0; i < 2 * InlineProfile.RUNS_TO_PROMOTE; i++) {
      assertFalse(p.observed(FAST, false, false));
    }
    assertFalse(p.eligible());
    assertTrue(p.demoted());
  }

  @Test
  void anAlwaysSlowActionIsDemotedAtItsThirdInlineRun() {
    InlineProfile p = promoted();
    assertFalse(p.observed(SLOW, false, true), "first slow run");
    assertFalse(p.observed(SLOW, false, true), "second slow run");
    assertTrue(p.eligible());
    assertTrue(p.observed(SLOW, false, true), "third slow run");
    assertFalse(p.eligible());
    assertTrue(p.demoted());
  }

  @Test
  void slowRunsOnceInAHundredAreForgivenForever() {
    InlineProfile p = promoted();
    for (int round = 0; round < 1_000; round++) {
      assertFalse(p.observed(SLOW, false, true), "slow run of round " + round);
      for (int i = 0; i < InlineProfile.SLOW_COST; i++) {
        assertFalse(p.observed(FAST, false, true));
      }
    }
    assertTrue(p.eligible());
  }

  @Test
  void slowRunsMoreOftenThanOnceInAHundredDemote() {
    InlineProfile p = promoted();
    int runs = 0;
    boolean demoted = false;
    while (!demoted && runs < 100_000) {
      demoted = p.observed(SLOW, false, true);
      runs++;
      for (int i = 0; i < InlineProfile.SLOW_COST - 10 && !demoted; i++) {
        assertFalse(p.observed(FAST, false, true));
        runs++;
      }
    }
    assertTrue(demoted, "never demoted");
    assertFalse(p.eligible());
    // credit 250; a slow run costs 100 and the 90 fast ones after it earn 90 back: the 17th
    // slow run takes it below zero (250 - 16 * 10 - 100)
    assertEquals(16 * 91 + 1, runs);
  }

  @Test
  void creditIsCappedSoALongFastStretchBuysNoMoreThanTwoSlowRuns() {
    InlineProfile p = promoted();
    for (int i = 0; i < 100_000; i++) {
      assertFalse(p.observed(FAST, false, true));
    }
    assertFalse(p.observed(SLOW, false, true));
    assertFalse(p.observed(SLOW, false, true));
    assertTrue(p.observed(SLOW, false, true), "the third in a row");
  }

  @Test
  void slowRunsOnAVirtualThreadCostNoCredit() {
    InlineProfile p = promoted();
    assertFalse(p.observed(SLOW, false, false));
    assertFalse(p.observed(SLOW, false, true), "the first slow inline run");
    assertFalse(p.observed(SLOW, false, true), "the second");
    assertTrue(p.eligible());
  }
}
