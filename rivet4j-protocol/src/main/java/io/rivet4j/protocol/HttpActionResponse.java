package io.rivet4j.protocol;

/** Body of a successful (200) stateless action call: the action's return value. */
public record HttpActionResponse(Object output) {}
