package io.rivet4j.api;

/**
 * A builder-form action: returns the output, or a {@code CompletionStage} of it to let other
 * messages of the actor run while it waits.
 */
@FunctionalInterface
public interface ActionHandler<S> {
  Object handle(ActorContext<S> c, Args args) throws Exception;
}
