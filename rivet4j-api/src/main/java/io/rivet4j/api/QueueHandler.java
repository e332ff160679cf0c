package io.rivet4j.api;

/**
 * Consumes the messages of one queue: the runtime calls it once per message, in FIFO order, one
 * message at a time, each call a turn of the actor. The message is deleted in the same atomic
 * commit as the turn's state changes, so its effect on the state happens once even across
 * crashes; the return value (or a {@code CompletionStage} of it) is the completion response a
 * waiting sender receives. A handler that throws has the message deleted too (the error is
 * logged and given to a waiting sender).
 *
 * @param <S> the actor's state type
 * @param <T> the body type; {@link QueueMessage} receives the whole message
 */
@FunctionalInterface
public interface QueueHandler<S, T> {
  Object handle(ActorContext<S> c, T body) throws Exception;
}
