/** Implementation of {@link io.rivet4j.client}; not an API. */
package io.rivet4j.client.internal;
