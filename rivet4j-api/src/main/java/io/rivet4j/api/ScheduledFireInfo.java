package io.rivet4j.api;

import java.time.Instant;

/**
 * What a scheduled action receives as an extra last argument when its method declares a final
 * parameter of this type (RivetKit's {@code ScheduledFireInfo}).
 */
public record ScheduledFireInfo(String kind, String id, Instant scheduledAt, Instant firedAt) {}
