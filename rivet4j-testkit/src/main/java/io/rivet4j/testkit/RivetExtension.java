package io.rivet4j.testkit;

import io.rivet4j.runtime.Registry;
import java.lang.reflect.Method;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension behind {@link ActorTest}: resolves {@link TestRegistry} and
 * {@link ManualClock} parameters with a fresh node per test, closed after the test.
 */
public final class RivetExtension implements ParameterResolver, AfterEachCallback {
  private static final ExtensionContext.Namespace NS =
      ExtensionContext.Namespace.create(RivetExtension.class);

  @Override
  public boolean supportsParameter(ParameterContext p, ExtensionContext ctx) {
    Class<?> t = p.getParameter().getType();
    return t == TestRegistry.class || t == ManualClock.class;
  }

  @Override
  public Object resolveParameter(ParameterContext p, ExtensionContext ctx) {
    TestRegistry rivet = ctx.getStore(NS).getOrComputeIfAbsent("rivet",
        k -> TestRegistry.start(registryOf(ctx.getRequiredTestClass())), TestRegistry.class);
    return p.getParameter().getType() == ManualClock.class ? rivet.clock() : rivet;
  }

  @Override
  public void afterEach(ExtensionContext ctx) {
    TestRegistry rivet = ctx.getStore(NS).remove("rivet", TestRegistry.class);
    if (rivet != null) {
      rivet.close();
    }
  }

  private static Registry registryOf(Class<?> testClass) {
    ActorTest annotation = testClass.getAnnotation(ActorTest.class);
    String name = annotation != null ? annotation.registry() : "registry";
    try {
      Method m = testClass.getDeclaredMethod(name);
      m.setAccessible(true);
      return (Registry) m.invoke(null);
    } catch (NoSuchMethodException e) {
      throw new ParameterResolutionException(testClass.getName() + " needs a static method "
          + name + "() returning io.rivet4j.runtime.Registry for @ActorTest", e);
    } catch (ReflectiveOperationException | ClassCastException e) {
      throw new ParameterResolutionException("calling " + testClass.getName() + "." + name
          + "() failed: " + e, e);
    }
  }
}
