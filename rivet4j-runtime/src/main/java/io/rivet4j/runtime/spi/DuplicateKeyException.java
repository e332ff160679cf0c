package io.rivet4j.runtime.spi;

/** A {@link WriteOp.CreateActor} named a name+key (or id) that already exists. */
public final class DuplicateKeyException extends StoreException {
  private static final long serialVersionUID = 1L;
  private final String existingActorId;

  public DuplicateKeyException(String message, String existingActorId) {
    super(message, null);
    this.existingActorId = existingActorId;
  }

  /** The id of the actor that holds the key, when the store knows it. */
  public String existingActorId() {
    return existingActorId;
  }
}
