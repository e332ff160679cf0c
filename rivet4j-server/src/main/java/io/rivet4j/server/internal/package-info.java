/**
 * The Netty implementation behind {@link io.rivet4j.server.RivetServer}: HTTP routing
 * ({@code HttpRequestHandler}), the REST API ({@code RestApi}), gateway resolution
 * ({@code GatewayTarget}, {@code Resolver}), stateless actions ({@code ActionRoute}) and the
 * WebSocket connect protocol ({@code WebSocketSession}). Not an API.
 */
package io.rivet4j.server.internal;
