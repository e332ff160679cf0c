package io.rivet4j.api;

/**
 * An error an actor throws on purpose. It reaches the caller unchanged: group {@code user}, the
 * given code (default {@code user_error}), message and metadata.
 */
public class UserError extends RivetError {
  private static final long serialVersionUID = 1L;
  public static final String GROUP = "user";
  public static final String DEFAULT_CODE = "user_error";

  public UserError(String message) {
    super(GROUP, DEFAULT_CODE, message);
  }

  public UserError(String code, String message) {
    super(GROUP, code, message);
  }

  public UserError(String code, String message, Object metadata) {
    super(GROUP, code, message, metadata);
  }
}
