package io.rivet4j.runtime.internal;

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
  void oneSlowInlineRunIsForgivenTwoWithinTheWindowAreNot() {
    InlineProfile p = promoted();
    assertFalse(p.observed(SLOW, false, true), "first strike");
    assertTrue(p.eligible());
    for (int i = 0; i < InlineProfile.STRIKE_WINDOW - 1; i++) {
      assertFalse(p.observed(FAST, false, true));
    }
    assertTrue(p.observed(SLOW, false, true), "second strike within the window");
    assertFalse(p.eligible());
  }

  @Test
  void slowInlineRunsFurtherApartThanTheWindowAreEachForgiven() {
    InlineProfile p = promoted();
    for (int round = 0; round < 3; round++) {
      assertFalse(p.observed(SLOW, false, true), "strike of round " + round);
      for (int i = 0; i < InlineProfile.STRIKE_WINDOW; i++) {
        assertFalse(p.observed(FAST, false, true));
      }
    }
    assertTrue(p.eligible());
  }

  @Test
  void aSlowRunOnAVirtualThreadIsNoStrike() {
    InlineProfile p = promoted();
    assertFalse(p.observed(SLOW, false, false));
    assertFalse(p.observed(SLOW, false, true), "the first inline strike");
    assertTrue(p.eligible());
  }
}
