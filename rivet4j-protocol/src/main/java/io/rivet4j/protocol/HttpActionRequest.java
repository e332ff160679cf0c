package io.rivet4j.protocol;

import java.util.List;

/** Body of a stateless action call, {@code POST …/action/<name>}: the action's arguments. */
public record HttpActionRequest(List<Object> args) {
  public HttpActionRequest {
    args = Lists.copyOf(args, "args");
  }
}
