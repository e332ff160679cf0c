package io.rivet4j.examples.chatroom;

/** The {@code typing} event: {@code name} started ({@code true}) or stopped typing. */
public record Typing(String name, boolean typing) {}
