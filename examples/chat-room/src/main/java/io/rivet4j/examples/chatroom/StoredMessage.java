package io.rivet4j.examples.chatroom;

/** A message with its row id, the cursor for {@link ChatRoom#getHistoryBefore}. */
public record StoredMessage(long id, String sender, String text, long timestamp) {}
