package io.rivet4j.examples.chatroom;

import java.util.List;

/**
 * One page of history, oldest first; {@code hasMore} tells whether messages older than the first
 * one exist (ask again with {@code beforeId = messages[0].id}).
 */
public record HistoryPage(List<StoredMessage> messages, boolean hasMore) {}
