package io.visca.gateway.health.rest;

import java.time.Instant;
import java.util.List;

import io.visca.gateway.health.history.HealthTransition;

/**
 * {@code GET /api/health/transitions}: the endpoints' status changes, newest first.
 *
 * @param historyStartedAt since when the monitor keeps transitions (its start: the history is in memory)
 * @param maxAge transitions older than this are forgotten (ISO-8601 duration, e.g. {@code PT168H})
 */
public record TransitionsView(Instant historyStartedAt, String maxAge, List<HealthTransition> transitions) {
}
