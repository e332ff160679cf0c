package io.rivet4j.examples.chatroom;

/**
 * A chat message as clients see it: exactly {@code {sender, text, timestamp}} (Unix ms of the
 * server's clock when it was sent), as spec/conformance-actors.md §3 fixes.
 */
public record Message(String sender, String text, long timestamp) {}
