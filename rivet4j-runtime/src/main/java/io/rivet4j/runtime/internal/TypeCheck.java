package io.rivet4j.runtime.internal;

import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;

/**
 * Decides whether a Java type can cross the wire (action arguments and outputs, state, events):
 * the shapes RivetKit's CBOR/JSON values can carry.
 */
final class TypeCheck {
  static final String ALLOWED = "use a record, enum, String, boolean, number, byte[],"
      + " List, Set or Map<String, …> of those, or Object for any value";

  private TypeCheck() {}

  /** Returns null when serializable, else the reason. */
  static String problem(Type type) {
    return problem(type, new HashSet<>());
  }

  private static String problem(Type type, Set<Type> seen) {
    if (!seen.add(type)) {
      return null;
    }
    if (type instanceof ParameterizedType p) {
      Class<?> raw = (Class<?>) p.getRawType();
      Type[] args = p.getActualTypeArguments();
      if (Map.class.isAssignableFrom(raw)) {
        if (args[0] != String.class && args[0] != Object.class) {
          return "map keys must be String, not " + args[0].getTypeName();
        }
        return problem(args[1], seen);
      }
      if (Collection.class.isAssignableFrom(raw)) {
        return problem(args[0], seen);
      }
      String rawProblem = problem(raw, seen);
      if (rawProblem != null) {
        return rawProblem;
      }
      for (Type a : args) {
        String pr = problem(a, seen);
        if (pr != null) {
          return pr;
        }
      }
      return null;
    }
    if (type instanceof GenericArrayType g) {
      return problem(g.getGenericComponentType(), seen);
    }
    if (!(type instanceof Class<?> c)) {
      return type.getTypeName() + " is not a concrete type";
    }
    if (c.isPrimitive() || c == String.class || c == Object.class || c == byte[].class
        || Number.class.isAssignableFrom(c) && (c.getName().startsWith("java.lang.")
            || c == BigInteger.class || c == BigDecimal.class)
        || c == Boolean.class || c == Character.class || c.isEnum()) {
      return c == void.class ? "void is not a value" : null;
    }
    if (c.isArray()) {
      return problem(c.getComponentType(), seen);
    }
    if (c == List.class || c == Set.class || c == Collection.class || c == Map.class) {
      return null;
    }
    if (c.isRecord()) {
      for (RecordComponent rc : c.getRecordComponents()) {
        String pr = problem(rc.getGenericType(), seen);
        if (pr != null) {
          return "record " + c.getSimpleName() + " component '" + rc.getName() + "': " + pr;
        }
      }
      return null;
    }
    if (CompletionStage.class.isAssignableFrom(c) || c == java.util.Optional.class) {
      return c.getSimpleName() + " cannot be a value";
    }
    if (c.getName().startsWith("java.") || c.getName().startsWith("javax.")) {
      return c.getName() + " is not serializable";
    }
    if (c.isInterface() || Modifier.isAbstract(c.getModifiers())) {
      return c.getName() + " is abstract";
    }
    try {
      c.getDeclaredConstructor();
      return null;
    } catch (NoSuchMethodException e) {
      return c.getName() + " is neither a record nor a class with a no-argument constructor";
    }
  }
}
