package io.rivet4j.client;

import io.rivet4j.api.ActorType;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * The client's contract of the {@code conformance} actor of spec/conformance-actors.md §4, as
 * both the Java conformance example and the real RivetKit serve it.
 */
@ActorType("conformance")
public interface Conformance {
  Object echo(Object value);

  Object getInput();

  List<String> getKey();

  String getActorId();

  long increment(long n);

  long getCount();

  void throwUserError(String code, String message, Object metadata);

  /** Without metadata: the actor's {@code metadata} argument is absent. */
  void throwUserError(String code, String message);

  Object throwInternal();

  Map<String, Object> whoAmI();

  Object emit(String eventName, Object payload);

  Object emitToCaller(String eventName, Object payload);

  int connCount();

  long getWakes();

  String getVarsNonce();

  Object goToSleep();

  Object destroySelf();

  /** A default method runs on the client, over the proxy's actions. */
  default long incrementTwice(long n) {
    increment(n);
    return increment(n);
  }

  /** The same actor with async methods. */
  @ActorType("conformance")
  interface Async {
    CompletionStage<Long> increment(long n);

    CompletionStage<Object> echo(Object value);

    CompletionStage<Object> slowEcho(long ms, Object value);

    CompletionStage<Void> throwUserError(String code, String message, Object metadata);
  }
}
