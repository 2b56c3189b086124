package io.visca.gateway.health.rest;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import io.visca.gateway.contracts.provider.ProviderConfig;
import io.visca.gateway.health.events.HealthChangedPublisher;
import io.visca.gateway.health.history.TransitionHistory;
import io.visca.gateway.health.probe.EndpointState;
import io.visca.gateway.health.probe.ProbeScheduler;
import io.visca.gateway.health.probe.ProbeScheduler.EndpointHealth;
import io.visca.gateway.kit.admin.error.ApiException;
import io.visca.gateway.snapshot.RegistrySnapshots;

/**
 * The live health of every endpoint ({@code /api/health}) and their recent transitions
 * ({@code /api/health/transitions}), guarded by the service token.
 */
@Path("/api/health")
@Produces(MediaType.APPLICATION_JSON)
public class HealthStatusResource {

    static final int DEFAULT_LIMIT = 500;
    static final int MAX_LIMIT = 5000;

    private final ProbeScheduler scheduler;
    private final RegistrySnapshots snapshot;
    private final HealthChangedPublisher publisher;
    private final TransitionHistory history;

    HealthStatusResource(ProbeScheduler scheduler, RegistrySnapshots snapshot, HealthChangedPublisher publisher,
            TransitionHistory history) {
        this.scheduler = scheduler;
        this.snapshot = snapshot;
        this.publisher = publisher;
        this.history = history;
    }

    @GET
    public HealthOverview all() {
        List<EndpointHealth> endpoints = scheduler.endpoints();
        List<ProviderHealthView> providers = new ArrayList<>();
        for (ProviderConfig provider : scheduler.providers()) {
            providers.add(HealthMapper.toApiModel(provider, endpoints));
        }
        int up = 0;
        int down = 0;
        for (EndpointHealth endpoint : endpoints) {
            String status = endpoint.state().status();
            up += EndpointState.UP.equals(status) ? 1 : 0;
            down += EndpointState.DOWN.equals(status) ? 1 : 0;
        }
        return new HealthOverview(snapshot.revision(), up, down, endpoints.size() - up - down,
                publisher.unpublished(), providers);
    }

    /**
     * The status changes of every endpoint (or of one provider's), newest first: the first status each got since the
     * monitor started and every change between UP and DOWN. A provider the monitor does not know has none.
     *
     * @param since ISO-8601 instant: only transitions at or after it
     * @param limit at most this many (1 to 5000, default 500)
     */
    @GET
    @Path("/transitions")
    public TransitionsView transitions(@QueryParam("provider") String provider, @QueryParam("since") String since,
            @QueryParam("limit") String limit) {
        Instant from = since == null || since.isBlank() ? null : instant("since", since);
        int max = limit == null || limit.isBlank() ? DEFAULT_LIMIT : limit(limit);
        return new TransitionsView(history.startedAt(), history.maxAge().toString(),
                history.list(provider == null || provider.isEmpty() ? null : provider, from, max));
    }

    @GET
    @Path("/{provider}")
    public ProviderHealthView provider(@PathParam("provider") String name) {
        for (ProviderConfig provider : scheduler.providers()) {
            if (provider.name().equals(name)) {
                return HealthMapper.toApiModel(provider, scheduler.endpoints());
            }
        }
        throw ApiException.notFound("provider_not_found", "no provider named '" + name + "' in the registry");
    }

    private static Instant instant(String name, String value) {
        // a '+' of an offset arrives as a space when the client did not encode it
        String text = value.strip().replace(' ', '+');
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            throw invalidParameter(name, "'" + shorten(value) + "' is not an ISO-8601 instant, e.g. "
                    + "2026-11-26T04:00:00Z");
        }
    }

    private static int limit(String value) {
        try {
            int limit = Integer.parseInt(value.strip());
            if (limit >= 1 && limit <= MAX_LIMIT) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw invalidParameter("limit", "must be a whole number from 1 to " + MAX_LIMIT);
    }

    /** A 400 for a bad query parameter, named in {@code param} and at the start of the message. */
    private static ApiException invalidParameter(String param, String message) {
        return new ApiException(400, "invalid_request_error", "invalid_parameter", param, param + ": " + message,
                List.of());
    }

    private static String shorten(String value) {
        return value.length() <= 64 ? value : value.substring(0, 64) + "...";
    }
}
