/**
 * The Java client for Rivet Actors, wire-compatible with RivetKit 2.3.19 servers (the Rivet
 * Engine, RivetKit runtimes and Rivet4j's own server).
 *
 * <h2>Front door</h2>
 *
 * <pre>{@code
 * try (RivetClient client = RivetClient.create("http://127.0.0.1:6420")) {
 *   Counter counter = client.getOrCreate(Counter.class, Key.of("my-counter")); // HTTP per call
 *   counter.increment(5);
 *   try (ActorConnection<Counter> conn = client.connect(Counter.class, Key.of("my-counter"))) {
 *     conn.on(Counter.NEW_COUNT, n -> System.out.println(n));                 // WebSocket
 *     conn.actions().increment(1);
 *   }
 * }
 * }</pre>
 *
 * <ul>
 *   <li>{@link io.rivet4j.client.RivetClient} — handles ({@code get}, {@code getOrCreate},
 *       {@code create}, {@code getForId}) typed through a contract interface or untyped;
 *   <li>{@link io.rivet4j.client.RemoteActorHandle} — stateless calls, {@code resolve()},
 *       connection params, raw {@code fetch}/{@code webSocket}, {@code gatewayUrl()};
 *   <li>{@link io.rivet4j.client.ActorConnection} — a WebSocket with actions, events and
 *       automatic reconnection;
 *   <li>{@link io.rivet4j.client.ActorError} — every failure, with RivetKit's
 *       {@code group.code}.
 * </ul>
 *
 * <p>Values: arguments may be any Java value the protocol module can encode (records, maps,
 * lists, strings, numbers, booleans, {@code byte[]}, {@code Instant}, …); results are converted
 * to the declared return type (records and POJOs through Jackson).
 */
package io.rivet4j.client;
