package io.rivet4j.server;

import java.lang.invoke.MethodHandle;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a server's port open across crashes. It binds {@code RIVET_HOST:RIVET_PORT} itself and
 * runs the server as a child process that inherits the listening socket (as its standard input,
 * with {@code RIVET_LISTEN_FD=0}, which {@link RivetServer} adopts instead of binding); when the
 * child dies it starts a new one. While no child runs, new connections wait in the socket's
 * backlog instead of being refused — which is what clients need to reconnect by themselves: the
 * official RivetKit client gives up on a refused reconnect, but waits through a slow one. (A Rivet
 * Engine deployment gets the same from its gateway, which outlives the actor processes.)
 *
 * <pre>
 * java -cp … io.rivet4j.server.Supervisor java -cp … com.example.MyServer
 * </pre>
 *
 * <p>Restarts back off from 100 ms, doubling to 5 s, and reset after a child ran 10 s. SIGTERM or
 * SIGINT to the supervisor is passed on to the child (a graceful stop), which may take
 * {@code RIVET_SUPERVISOR_GRACE_MS} (default 30 s) before it is killed; then the supervisor exits
 * with the child's status. Each child start is logged with its pid. Linux only (it calls libc's
 * {@code socket}, {@code bind}, {@code listen} and {@code dup2}; IPv4).
 */
public final class Supervisor {
  private static final Logger LOG = LoggerFactory.getLogger("io.rivet4j.server.supervisor");
  private static final int AF_INET = 2;
  private static final int SOCK_STREAM = 1;
  private static final int SOL_SOCKET = 1;
  private static final int SO_REUSEADDR = 2;

  private Supervisor() {}

  public static void main(String[] args) throws Throwable {
    if (args.length == 0) {
      System.err.println("usage: Supervisor COMMAND [ARGS...]  (the server to run; it gets the"
          + " listening socket of RIVET_HOST:RIVET_PORT as standard input, RIVET_LISTEN_FD=0)");
      System.exit(2);
    }
    String host = env("RIVET_HOST", "127.0.0.1");
    int port = Integer.parseInt(env("RIVET_PORT", String.valueOf(ServerConfig.DEFAULT_PORT)));
    Duration grace = Duration.ofMillis(Long.parseLong(env("RIVET_SUPERVISOR_GRACE_MS", "30000")));
    listenOnStdin(host, port);
    LOG.info("supervisor holds {}:{}; running {}", host, port, args[args.length - 1]);
    System.exit(supervise(List.of(args), grace));
  }

  private static String env(String name, String fallback) {
    String v = System.getenv(name);
    return v == null || v.isBlank() ? fallback : v;
  }

  /** Runs children until one exits while the supervisor is stopping; returns its status. */
  private static int supervise(List<String> command, Duration grace) throws InterruptedException {
    Object lock = new Object();
    boolean[] stopping = {false};
    Process[] current = {null};
    Thread main = Thread.currentThread();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      Process p;
      synchronized (lock) {
        stopping[0] = true;
        p = current[0];
      }
      if (p != null) {
        p.destroy(); // SIGTERM: the server stops gracefully
        try {
          if (!p.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
            p.destroyForcibly();
          }
        } catch (InterruptedException e) {
          p.destroyForcibly();
        }
      }
      main.interrupt();
    }, "rivet4j-supervisor-stop"));
    long backoff = 100;
    for (;;) {
      ProcessBuilder pb = new ProcessBuilder(command)
          .redirectInput(ProcessBuilder.Redirect.INHERIT)
          .redirectOutput(ProcessBuilder.Redirect.INHERIT)
          .redirectError(ProcessBuilder.Redirect.INHERIT);
      pb.environment().put("RIVET_LISTEN_FD", "0");
      Process p;
      synchronized (lock) {
        if (stopping[0]) {
          return 0;
        }
        try {
          p = pb.start();
        } catch (java.io.IOException e) {
          LOG.error("cannot start {}: {}", command.get(0), e.getMessage());
          return 1;
        }
        current[0] = p;
      }
      LOG.info("server started (pid {})", p.pid());
      long started = System.nanoTime();
      int status;
      try {
        status = p.waitFor();
      } catch (InterruptedException e) {
        status = p.waitFor(); // the shutdown hook is stopping it
      }
      synchronized (lock) {
        current[0] = null;
        if (stopping[0]) {
          return status;
        }
      }
      if (Duration.ofNanos(System.nanoTime() - started).toSeconds() >= 10) {
        backoff = 100;
      }
      LOG.warn("server (pid {}) exited with status {}; restarting in {} ms", p.pid(), status,
          backoff);
      Thread.sleep(backoff);
      backoff = Math.min(backoff * 2, 5_000);
    }
  }

  /**
   * socket + SO_REUSEADDR + bind + listen, then dup2 onto fd 0 for the children. The calls go
   * through the foreign-function API of JDK 22+, reached reflectively because the project is
   * compiled for Java 21 (where that API is a preview).
   */
  private static void listenOnStdin(String host, int port) throws Throwable {
    InetAddress addr = InetAddress.getByName(host);
    if (!(addr instanceof Inet4Address)) {
      throw new IllegalArgumentException("the supervisor binds IPv4 addresses only, not " + addr);
    }
    Libc c = new Libc();
    int fd = c.check(c.call("socket", AF_INET, SOCK_STREAM, 0), "socket");
    c.check(c.call("setsockopt", fd, SOL_SOCKET, SO_REUSEADDR, c.bytes(1, 0, 0, 0), 4),
        "setsockopt(SO_REUSEADDR)");
    byte[] ip = addr.getAddress();
    Object sa = c.bytes(AF_INET, 0, port >>> 8, port & 0xff, ip[0], ip[1], ip[2], ip[3],
        0, 0, 0, 0, 0, 0, 0, 0); // sockaddr_in: family (little-endian), port and address (big)
    c.check(c.call("bind", fd, sa, 16), "bind(" + host + ":" + port + ")");
    c.check(c.call("listen", fd, 1024), "listen");
    c.check(c.call("dup2", fd, 0), "dup2");
    c.check(c.call("close", fd), "close");
  }

  /** A few libc functions of signature (int|pointer...) → int, via java.lang.foreign. */
  private static final class Libc {
    private final Class<?> memorySegment = Class.forName("java.lang.foreign.MemorySegment");
    private final Class<?> linkerClass = Class.forName("java.lang.foreign.Linker");
    private final Object linker;
    private final Object lookup;
    private final Object intLayout;
    private final Object addressLayout;
    private final Object arena;

    Libc() throws ReflectiveOperationException {
      linker = linkerClass.getMethod("nativeLinker").invoke(null);
      lookup = linkerClass.getMethod("defaultLookup").invoke(linker);
      Class<?> valueLayout = Class.forName("java.lang.foreign.ValueLayout");
      intLayout = valueLayout.getField("JAVA_INT").get(null);
      addressLayout = valueLayout.getField("ADDRESS").get(null);
      arena = Class.forName("java.lang.foreign.Arena").getMethod("ofAuto").invoke(null);
    }

    /** Native memory holding {@code values} as bytes. */
    Object bytes(int... values) throws ReflectiveOperationException {
      byte[] b = new byte[values.length];
      for (int i = 0; i < b.length; i++) {
        b[i] = (byte) values[i];
      }
      Object segment = Class.forName("java.lang.foreign.SegmentAllocator")
          .getMethod("allocate", long.class).invoke(arena, (long) b.length);
      // (interface methods, looked up on the public interfaces: the implementations are not
      // exported)
      Object heap = memorySegment.getMethod("ofArray", byte[].class).invoke(null, (Object) b);
      memorySegment.getMethod("copyFrom", memorySegment).invoke(segment, heap);
      return segment;
    }

    int call(String name, Object... args) throws Throwable {
      Class<?> layout = Class.forName("java.lang.foreign.MemoryLayout");
      Object[] params = (Object[]) java.lang.reflect.Array.newInstance(layout, args.length);
      for (int i = 0; i < args.length; i++) {
        params[i] = args[i] instanceof Integer ? intLayout : addressLayout;
      }
      Class<?> descriptor = Class.forName("java.lang.foreign.FunctionDescriptor");
      Object fd = descriptor.getMethod("of", layout, params.getClass())
          .invoke(null, intLayout, params);
      java.util.Optional<?> symbol = (java.util.Optional<?>) Class.forName(
          "java.lang.foreign.SymbolLookup").getMethod("find", String.class).invoke(lookup, name);
      Class<?> option = Class.forName("java.lang.foreign.Linker$Option");
      MethodHandle handle = (MethodHandle) linkerClass.getMethod("downcallHandle",
          memorySegment, descriptor, option.arrayType()).invoke(linker, symbol.orElseThrow(), fd,
          java.lang.reflect.Array.newInstance(option, 0));
      return (int) handle.invokeWithArguments(args);
    }

    int check(int result, String what) {
      if (result < 0) {
        throw new IllegalStateException(what + " failed (is the address in use?)");
      }
      return result;
    }
  }
}
