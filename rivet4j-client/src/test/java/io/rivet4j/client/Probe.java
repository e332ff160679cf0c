package io.rivet4j.client;

import io.rivet4j.api.ActorType;
import io.rivet4j.api.Event;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/** The client's contract of {@link ProbeActor} (the server needs none: builder form). */
@ActorType("probe")
public interface Probe {
  Event<Long> NEW_COUNT = Event.of("newCount", Long.class);

  long increment(long amount);

  long getCount();

  Info getInput();

  List<Object> echo(Object... args);

  Sample first(Sample sample);

  void failUser();

  long failInternal();

  boolean sendToMe();

  String kick();

  /** A default method runs on the client, over the proxy's actions. */
  default long incrementTwice(long amount) {
    increment(amount);
    return increment(amount);
  }

  /** What {@code getInput} returns. */
  record Info(Object input, List<String> key, Object params, String actorId) {}

  /** A nested value for round trips. */
  record Sample(String text, long big, double ratio, byte[] bytes, List<Inner> items,
      Map<String, Object> extra, Inner nested, String absent) {}

  record Inner(String name, int n) {}

  /** The same actor with async methods. */
  @ActorType("probe")
  interface Async {
    CompletionStage<Long> increment(long amount);

    CompletionStage<Void> failUser();

    CompletionStage<Object> hold(String tag);
  }
}
