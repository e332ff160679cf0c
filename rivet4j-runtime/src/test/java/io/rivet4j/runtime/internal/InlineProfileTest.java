package io.rivet4j.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Promotion to inline runs and the demotions: blocking, and slow inline runs too often. */
class InlineProfileTest {
  private static final long FAST = 10_000;
  private static final long SLOW = InlineProfile.DEMOTE_NANOS + 1;

  private static InlineProfile promoted() {
    InlineProfile p = new InlineProfile();
    for (int i = 0; i < InlineProfile.RUNS_TO_PROMOTE - 1; i++) {
      assertFalse(p.observed(FAST, false, false));
    }
    assertFalse(p.eligible());
    assertFalse(p.observed(FAST, false, false));
    assertTrue(p.eligible());
    return p;
  }

  @Test
  void usingABlockingContextMethodDemotesAtOnce() {
    InlineProfile p = promoted();
    assertTrue(p.observed(FAST, true, true));
    assertFalse(p.eligible());
    assertTrue(p.demoted());
    assertFalse(p.observed(FAST, true, true), "demoted once");
  }

  @Test
  void anActionSlowEveryTimeIsDemotedAtItsThirdInlineRun() {
    InlineProfile p = promoted();
    assertFalse(p.observed(SLOW, false, true));
    assertFalse(p.observed(SLOW, false, true));
    assertTrue(p.eligible());
    assertTrue(p.observed(SLOW, false, true));
    assertFalse(p.eligible());
  }

  @Test
  void aPreemptedRunNowAndThenKeepsTheActionInline() {
    InlineProfile p = promoted();
    for (int round = 0; round < 1_000; round++) { // one slow run in 200: a busy machine
      assertFalse(p.observed(SLOW, false, true), "round " + round);
      for (int i = 0; i < 199; i++) {
        p.observed(FAST, false, true);
      }
    }
    assertTrue(p.eligible());
  }

  @Test
  void slowInlineRunsMoreOftenThanTheCreditRefillsDemote() {
    InlineProfile p = promoted();
    for (int i = 0; i < InlineProfile.MAX_CREDIT; i++) {
      p.observed(FAST, false, true); // full credit
    }
    boolean demoted = false;
    int runs = 0;
    while (!demoted && runs < 100_000) { // one slow run in 50
      demoted = p.observed(runs % 50 == 0 ? SLOW : FAST, false, true);
      runs++;
    }
    assertTrue(demoted);
    assertFalse(p.eligible());
  }

  @Test
  void slowRunsOnVirtualThreadsDoNotDemote() {
    InlineProfile p = promoted();
    for (int i = 0; i < 100; i++) {
      assertFalse(p.observed(SLOW, false, false));
    }
    assertTrue(p.eligible());
  }
}
