package io.rivet4j.api;

/** Reads {@link ActorType} from contract interfaces. */
public final class ActorTypes {
  private ActorTypes() {}

  /** The actor name of {@code contract}, with a message that says how to fix a missing annotation. */
  public static String nameOf(Class<?> contract) {
    ActorType type = contract.getAnnotation(ActorType.class);
    if (type == null) {
      throw new IllegalArgumentException(
          contract.getName() + " is not an actor contract: annotate the interface with"
              + " @ActorType(\"<actor name>\")");
    }
    return type.value();
  }
}
