package io.rivet4j.examples.conformance;

import io.rivet4j.api.ActorType;
import java.util.List;

/**
 * The typed half of the {@code conformance} actor (spec/conformance-actors.md §4.2): the actions
 * whose arguments have fixed types. The actions that take JavaScript-style dynamic arguments
 * ({@code echo}, {@code increment}, {@code throwUserError}, {@code emit}, {@code emitToCaller},
 * {@code scheduleIncrement}, {@code slowEcho}) are builder actions in {@link ConformanceActor}.
 */
@ActorType("conformance")
public interface Conformance {
  /** The creation input, or {@code null}. */
  Object getInput();

  /** The key parts, e.g. {@code ["org","room","a/b"]}. */
  List<String> getKey();

  String getActorId();

  double getCount();

  /** Throws a plain exception whose message contains {@code secret}; callers see it masked. */
  Object throwInternal();

  /** The calling connection's state, {@code {"name": …}}. */
  Object whoAmI();

  /** Live connections, the caller's own (even a stateless call's) included. */
  int connCount();

  long getWakes();

  /** A random hex string created on every start (a var, never persisted). */
  String getVarsNonce();

  /** Requests sleep; returns {@code null} before the actor stops. */
  Object goToSleep();

  /** Requests destruction; returns {@code null} before the actor is gone. */
  Object destroySelf();
}
