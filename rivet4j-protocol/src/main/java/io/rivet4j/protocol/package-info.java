/**
 * RivetKit 2.3.19 client protocol (v4): the wire model and its three encodings, wire-compatible
 * with the official JavaScript client ({@code rivetkit/client}). Pure functions, no I/O.
 *
 * <h2>Front door</h2>
 *
 * <ul>
 *   <li>{@link io.rivet4j.protocol.Encoding#parse(String)} — {@code json|cbor|bare}, as the client
 *       names them ({@code x-rivet-encoding}, {@code rivet_encoding.<name>});
 *   <li>{@link io.rivet4j.protocol.ProtocolCodec#of(Encoding)} — encode/decode
 *       {@link io.rivet4j.protocol.ToServer} and {@link io.rivet4j.protocol.ToClient} WebSocket
 *       frames and the HTTP bodies ({@link HttpActionRequest}, {@link HttpActionResponse},
 *       {@link HttpQueueSendRequest}, {@link HttpQueueSendResponse}, {@link HttpResponseError});
 *   <li>{@link io.rivet4j.protocol.UserValues} — one user value alone (CBOR-compat, JSON-compat);
 *   <li>{@link io.rivet4j.protocol.ProtocolException} — every failure, group {@code protocol}.
 * </ul>
 *
 * <h2>User values</h2>
 *
 * <p>Action arguments and outputs, event arguments, error metadata and queue bodies are
 * JavaScript values. Decoders return them as <em>plain values</em>, built only from the Java types
 * in the right-hand column below; encoders accept plain values and the other Java types listed
 * further down.
 *
 * <table class="striped">
 *   <caption>Decoding: wire value to Java</caption>
 *   <thead>
 *     <tr><th>JavaScript value</th><th>json</th><th>cbor, and CBOR inside bare</th>
 *         <th>Java</th></tr>
 *   </thead>
 *   <tbody>
 *     <tr><td>null, undefined</td><td>{@code null}, {@code ["$Undefined",0]}</td>
 *         <td>{@code f6}, {@code f7}, {@code ["$Undefined",0]}</td><td>{@code null}</td></tr>
 *     <tr><td>boolean</td><td>{@code true}/{@code false}</td><td>{@code f5}/{@code f4}</td>
 *         <td>{@code Boolean}</td></tr>
 *     <tr><td>number that is a safe integer: |n| &le; 2<sup>53</sup>&minus;1, not &minus;0</td>
 *         <td>any number literal</td>
 *         <td>integer with a head of at most 4 bytes; any float with such a value</td>
 *         <td>{@code Long}</td></tr>
 *     <tr><td>any other number: fractions, &minus;0, NaN, &plusmn;Infinity, |n| &gt;
 *         2<sup>53</sup>&minus;1</td><td>number literal</td><td>float ({@code f9 fa fb})</td>
 *         <td>{@code Double}</td></tr>
 *     <tr><td>bigint</td><td>{@code ["$BigInt","n"]}</td>
 *         <td>{@code ["$BigInt","n"]}; integer with the 8-byte head ({@code 1b}/{@code 3b}), which
 *         cbor-x reads as bigint whatever its value; tags 2/3</td>
 *         <td>{@code BigInteger}, always (even 5n), so it re-encodes as a bigint</td></tr>
 *     <tr><td>string</td><td>string</td><td>text string, read as cbor-x reads it: a 3-byte
 *         surrogate (which cbor-x writes for a lone surrogate) is kept, any other malformed
 *         sequence becomes U+FFFD; BARE {@code str} fields must be valid UTF-8</td>
 *         <td>{@code String}</td></tr>
 *     <tr><td>Uint8Array, ArrayBuffer</td>
 *         <td>{@code ["$Uint8Array",b64]}, {@code ["$ArrayBuffer",b64]}</td>
 *         <td>the same; byte string; tags 64, 68</td><td>{@code byte[]}</td></tr>
 *     <tr><td>other typed arrays</td><td>&mdash;</td><td>tags 65&ndash;86 (RFC 8746)</td>
 *         <td>{@code List} of {@code Long}, {@code BigInteger} (64-bit) or numbers</td></tr>
 *     <tr><td>Array</td><td>array</td><td>array</td>
 *         <td>{@code List<Object>} (mutable {@code ArrayList})</td></tr>
 *     <tr><td>plain object, Map</td><td>object</td><td>map; tag 259</td>
 *         <td>{@code Map<String, Object>} ({@code LinkedHashMap}, wire order; numeric keys become
 *         their JavaScript text, a repeated key keeps its first place and last value)</td></tr>
 *     <tr><td>Set</td><td>{@code ["$Set",[…]]}</td><td>{@code ["$Set",[…]]}; tag 258</td>
 *         <td>{@code Set<Object>} ({@code LinkedHashSet})</td></tr>
 *     <tr><td>Date</td><td>(JSON has none: an ISO string arrives as {@code String})</td>
 *         <td>tag 1 (epoch seconds), tag 0 (text)</td><td>{@code Instant} (milliseconds)</td></tr>
 *     <tr><td>{@code ["$x", v]} (sent escaped as {@code ["$$x", v]})</td><td colspan="2">the
 *         escape is removed; an unescaped unknown {@code ["$x", v]} is malformed</td>
 *         <td>{@code List} {@code ["$x", v]}</td></tr>
 *   </tbody>
 * </table>
 *
 * <table class="striped">
 *   <caption>Encoding: Java to JavaScript value</caption>
 *   <thead><tr><th>Java</th><th>JavaScript value</th></tr></thead>
 *   <tbody>
 *     <tr><td>{@code null}, {@code Optional.empty()}, empty {@code OptionalInt/Long/Double}</td>
 *         <td>null</td></tr>
 *     <tr><td>{@code Boolean}</td><td>boolean</td></tr>
 *     <tr><td>{@code Byte}, {@code Short}, {@code Integer}; {@code Long} within
 *         &plusmn;(2<sup>53</sup>&minus;1); {@code OptionalInt}, {@code OptionalLong}</td>
 *         <td>number</td></tr>
 *     <tr><td>{@code Long} beyond &plusmn;(2<sup>53</sup>&minus;1); {@code BigInteger}</td>
 *         <td>bigint ({@code ["$BigInt","n"]}): exact, never a rounded number</td></tr>
 *     <tr><td>{@code Float}, {@code Double}, {@code BigDecimal}, {@code OptionalDouble}</td>
 *         <td>number; NaN and &plusmn;Infinity become {@code null} in JSON, as
 *         {@code JSON.stringify} does</td></tr>
 *     <tr><td>{@code String}, {@code Character}, {@code char[]}</td><td>string</td></tr>
 *     <tr><td>{@code byte[]}, {@code ByteBuffer} (remaining bytes)</td>
 *         <td>Uint8Array ({@code ["$Uint8Array","<base64>"]})</td></tr>
 *     <tr><td>{@code Instant}, {@code java.util.Date}</td>
 *         <td>Date: in JSON its ISO text ({@code Date.toJSON}), in CBOR tag 1 as cbor-x writes it
 *         </td></tr>
 *     <tr><td>other {@code java.time} values ({@code LocalDate}, {@code Duration}, …)</td>
 *         <td>string ({@code toString()})</td></tr>
 *     <tr><td>{@code List}, other {@code Collection}s, arrays</td><td>Array</td></tr>
 *     <tr><td>{@code Set}</td><td>Set ({@code ["$Set",[…]]})</td></tr>
 *     <tr><td>{@code Map}</td><td>plain object in iteration order; keys: strings as they are,
 *         numbers as JavaScript prints them, enums by name, others by {@code toString()}
 *         ({@code null} keys are rejected)</td></tr>
 *     <tr><td>{@code Optional.of(x)}</td><td>x</td></tr>
 *     <tr><td>records, POJOs, enums, {@code JsonNode}</td><td>through Jackson (annotations
 *         honoured): records and beans become objects of their properties, enums their name</td>
 *         </tr>
 *   </tbody>
 * </table>
 *
 * <p>A 2-element array whose first item is a string starting with {@code $} is written with one
 * more {@code $} ({@code ["$foo",1]} → {@code ["$$foo",1]}), as RivetKit does, so it reads back
 * unchanged. Values nested deeper than 512 levels (or containing themselves) are rejected.
 *
 * <h2>Bytes on the wire</h2>
 *
 * <ul>
 *   <li>Numbers: JSON prints them as {@code Number.prototype.toString} does. CBOR writes integral
 *       numbers in &minus;2<sup>32</sup>…2<sup>32</sup>&minus;1 as integers with the shortest head
 *       and every other number as a float: float64 where JavaScript wrote the bytes (client
 *       messages, action outputs, event args, queue bodies), the shortest exact float where the
 *       Rust core did (error metadata, HTTP response bodies in CBOR).
 *   <li>Objects: cbor-x's 16-bit map head ({@code b9 0001}) where JavaScript wrote the bytes, the
 *       shortest head ({@code a1}) where the Rust core did.
 *   <li>Strings with a lone surrogate: JSON escapes it (backslash-u, lower-case hex); cbor-x
 *       style CBOR writes its 3-byte form in strings under 64 UTF-16 units and U+FFFD in longer
 *       ones; canonical CBOR and BARE {@code str} write U+FFFD.
 *   <li>Protocol ids ({@code id}, {@code actionId}) and WebSocket {@code actor.generation}: JSON
 *       {@code ["$BigInt","n"]}, CBOR {@code 1b} + 8 bytes, BARE {@code uint}. They are unsigned
 *       64-bit values held in a {@code long}.
 *   <li>Field order follows the captured traffic: the client's order for client messages, the
 *       reference server's for server messages (alphabetical where it serializes through
 *       serde_json, except HTTP errors without an actor, which the engine's gateway writes as
 *       {@code group, code, message, metadata}).
 *   <li>User values always carry JSON-compat tags, in CBOR mode too (the official client writes
 *       bigint and Uint8Array natively there, which the reference server rejects; the tags travel
 *       through it). Both forms are read.
 * </ul>
 */
package io.rivet4j.protocol;
