/**
 * The network front door of Rivet4j: {@link io.rivet4j.server.RivetServer} serves a runtime on
 * one port, wire-compatible with the official RivetKit 2.3.19 JavaScript client
 * ({@code rivetkit/client}); {@link io.rivet4j.server.ServerConfig} holds its address, token,
 * limits and timeouts.
 */
package io.rivet4j.server;
