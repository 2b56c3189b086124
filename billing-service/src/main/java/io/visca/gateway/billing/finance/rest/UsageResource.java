package io.visca.gateway.billing.finance.rest;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.ParameterIn;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestMulti;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.visca.gateway.billing.config.BillingConfig;
import io.visca.gateway.billing.config.OpenApiDefinition;
import io.visca.gateway.billing.finance.mapping.Reconciliation;
import io.visca.gateway.billing.finance.mapping.RecordsPage;
import io.visca.gateway.billing.finance.mapping.UsageSummary;
import io.visca.gateway.billing.finance.mapping.UsageTimeseries;
import io.visca.gateway.billing.finance.query.Bucket;
import io.visca.gateway.billing.finance.query.Cursor;
import io.visca.gateway.billing.finance.query.GroupBy;
import io.visca.gateway.billing.finance.query.UsageFilter;
import io.visca.gateway.billing.finance.service.UsageQueryService;
import io.visca.gateway.kit.admin.error.ApiError;

/**
 * The finance API. Time ranges are [from, to) on when requests finished, ISO-8601 instants or dates (a date is its
 * start, UTC). Summaries, reconciliation and time series come from the rollups kept at ingest: reconciliation bounds
 * are whole hours; a summary bound between two hours, within the raw-record retention, adds its partial hour from
 * the minute rollup and the partial minute from the raw records; without bounds they cover the 30 days up to the end
 * of the current hour. Time series sum the minute or hourly rollups per minute, hour or day, their percentiles from
 * merged latency histograms. Records and export are the only raw scans. Money is USD as exact decimal strings.
 */
@Path("/api/usage")
@Tag(name = "usage")
@SecurityRequirement(name = OpenApiDefinition.TOKEN)
@APIResponse(responseCode = "400", description = "A bad parameter, named in error.param and error.violations", content = @Content(schema = @Schema(implementation = ApiError.class)))
@APIResponse(responseCode = "401", description = "Missing or wrong token", content = @Content(schema = @Schema(implementation = ApiError.class)))
public class UsageResource {

    static final Duration DEFAULT_RANGE = Duration.ofDays(30);
    static final Duration DEFAULT_SERIES_RANGE = Duration.ofHours(24);
    private static final Set<String> TIMESERIES = Set.of("from", "to", "team", "bucket", "provider", "model", "api_key");
    private static final Set<String> SUMMARY = Set.of("from", "to", "team", "group_by", "provider", "model", "api_key");
    private static final Set<String> RECONCILIATION = Set.of("from", "to", "team", "provider", "model", "api_key");
    private static final Set<String> EXPORT = Set.of("from", "to", "team", "provider", "model", "api_key", "status",
            "stream", "request_id");
    private static final Set<String> RECORDS = Set.of("from", "to", "team", "provider", "model", "api_key", "status",
            "stream", "request_id", "limit", "cursor");

    private final UsageQueryService service;
    private final BillingConfig.Api config;
    private final Duration retention;

    UsageResource(UsageQueryService service, BillingConfig config) {
        this.service = service;
        this.config = config.api();
        this.retention = config.retention().rawRecords();
    }

    @GET
    @Path("/summary")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Usage and spend totals", description = "Requests, errors, tokens, configured and reported "
            + "cost over [from, to), grouped by any of provider, model, api_key, team, day, hour (comma-separated, in "
            + "that order of nesting); without group_by one total row.")
    @Parameter(name = "from", in = ParameterIn.QUERY, description = "Start (inclusive), on the hour or within the raw-record retention; default: to - 30 days", example = "2026-01-01")
    @Parameter(name = "to", in = ParameterIn.QUERY, description = "End (exclusive), on the hour or within the raw-record retention; default: the end of the current hour", example = "2026-02-01")
    @Parameter(name = "group_by", in = ParameterIn.QUERY, description = "provider, model, api_key, team, day, hour; hour over at most 92 days", example = "provider,day")
    @Parameter(name = "provider", in = ParameterIn.QUERY, description = "Only this provider")
    @Parameter(name = "model", in = ParameterIn.QUERY, description = "Only this served model")
    @Parameter(name = "api_key", in = ParameterIn.QUERY, description = "Only this gateway API key id")
    @Parameter(name = "team", in = ParameterIn.QUERY, description = "Only the requests of this team's keys")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = UsageSummary.class)))
    public Uni<UsageSummary> summary(@Context UriInfo uri) {
        UsageParams params = new UsageParams(uri.getQueryParameters(), SUMMARY);
        UsageFilter filter = summaryRange(params);
        List<GroupBy> groups = params.groupBy();
        if (groups.contains(GroupBy.HOUR)) {
            params.atMost("group_by", filter.from(), filter.to(), config.maxHourlyRange(), "group_by=hour");
        }
        params.done();
        return service.summary(filter, groups);
    }

    @GET
    @Path("/timeseries")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Usage per minute, hour or day", description = "From the rollups over [from, to): per "
            + "bucket (UTC) requests, errors, error rate, p50/p95 latency and time to first token (streamed requests; "
            + "from merged histograms, within 12.5 % of the exact value), tokens and cost; every bucket from the one "
            + "holding from to the one holding the end, empty ones with zeros (percentiles null), at most 2000 "
            + "buckets.")
    @Parameter(name = "from", in = ParameterIn.QUERY, description = "Start (inclusive), any instant or date; default: to - 24 hours", example = "2026-11-26T00:00:00Z")
    @Parameter(name = "to", in = ParameterIn.QUERY, description = "End (exclusive), any instant or date; default: now", example = "2026-11-27T00:00:00Z")
    @Parameter(name = "bucket", in = ParameterIn.QUERY, description = "minute, hour or day; default: hour", example = "hour")
    @Parameter(name = "provider", in = ParameterIn.QUERY, description = "Only this provider")
    @Parameter(name = "model", in = ParameterIn.QUERY, description = "Only this served model")
    @Parameter(name = "api_key", in = ParameterIn.QUERY, description = "Only this gateway API key id")
    @Parameter(name = "team", in = ParameterIn.QUERY, description = "Only the requests of this team's keys")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = UsageTimeseries.class)))
    public Uni<UsageTimeseries> timeseries(@Context UriInfo uri) {
        UsageParams params = new UsageParams(uri.getQueryParameters(), TIMESERIES);
        Instant from = UsageParams.ceilMicros(params.instant("from"));
        Instant to = UsageParams.ceilMicros(params.instant("to"));
        Bucket bucket = params.bucket();
        UsageFilter filter = withDefaults(params, from, to, UsageParams.ceilMicros(Instant.now()),
                DEFAULT_SERIES_RANGE);
        params.bucketCount(bucket, filter.from(), filter.to(), config.maxBuckets());
        params.done();
        return service.timeseries(filter, bucket);
    }

    @GET
    @Path("/reconciliation")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Configured against reported cost", description = "Per provider and served model over "
            + "[from, to): the cost from the configured prices, what the upstreams reported, and the difference "
            + "over the requests that have both; with the counts of requests with and without a reported cost.")
    @Parameter(name = "from", in = ParameterIn.QUERY, description = "Start (inclusive), on the hour; default: to - 30 days")
    @Parameter(name = "to", in = ParameterIn.QUERY, description = "End (exclusive), on the hour; default: the end of the current hour")
    @Parameter(name = "provider", in = ParameterIn.QUERY, description = "Only this provider")
    @Parameter(name = "model", in = ParameterIn.QUERY, description = "Only this served model")
    @Parameter(name = "api_key", in = ParameterIn.QUERY, description = "Only this gateway API key id")
    @Parameter(name = "team", in = ParameterIn.QUERY, description = "Only the requests of this team's keys")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = Reconciliation.class)))
    public Uni<Reconciliation> reconciliation(@Context UriInfo uri) {
        UsageParams params = new UsageParams(uri.getQueryParameters(), RECONCILIATION);
        UsageFilter filter = rollupRange(params);
        params.done();
        return service.reconciliation(filter);
    }

    @GET
    @Path("/records")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Raw usage records, newest first", description = "One page of stored requests matching the "
            + "filters; pass next_cursor as cursor for the next page (null on the last). Each record has the "
            + "router's event_id (unique, the ledger's key) and the client's request_id (its x-request-id, which "
            + "several requests may share). Records older than the raw-record retention are gone; their totals stay "
            + "in the summaries.")
    @Parameter(name = "from", in = ParameterIn.QUERY, description = "Start (inclusive), any instant or date")
    @Parameter(name = "to", in = ParameterIn.QUERY, description = "End (exclusive), any instant or date")
    @Parameter(name = "provider", in = ParameterIn.QUERY)
    @Parameter(name = "model", in = ParameterIn.QUERY, description = "The served model")
    @Parameter(name = "api_key", in = ParameterIn.QUERY, description = "Gateway API key id")
    @Parameter(name = "team", in = ParameterIn.QUERY, description = "The key's team")
    @Parameter(name = "status", in = ParameterIn.QUERY, description = "success, error or client_closed")
    @Parameter(name = "stream", in = ParameterIn.QUERY, description = "true or false")
    @Parameter(name = "request_id", in = ParameterIn.QUERY, description = "The client's correlation id (the x-request-id the router echoed to it): every request sent with it")
    @Parameter(name = "limit", in = ParameterIn.QUERY, description = "1 to 1000; default 100")
    @Parameter(name = "cursor", in = ParameterIn.QUERY, description = "next_cursor of the previous page")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = RecordsPage.class)))
    public Uni<RecordsPage> records(@Context UriInfo uri) {
        UsageParams params = new UsageParams(uri.getQueryParameters(), RECORDS);
        UsageFilter filter = recordFilter(params);
        int limit = params.limit(config.defaultLimit(), config.maxLimit());
        Cursor cursor = params.cursor();
        params.done();
        return service.records(filter, cursor, limit);
    }

    @GET
    @Path("/export")
    @Produces("text/csv")
    @Operation(summary = "Raw usage records as CSV", description = "The records matching the filters, newest first, "
            + "streamed as RFC 4180 CSV with a header row (CRLF line ends; costs as exact decimals; attempt_log as "
            + "JSON; event_id, the ledger's unique key, is the last column). Text a spreadsheet would take for a "
            + "formula starts with an added '.")
    @Parameter(name = "from", in = ParameterIn.QUERY, description = "Start (inclusive), any instant or date")
    @Parameter(name = "to", in = ParameterIn.QUERY, description = "End (exclusive), any instant or date")
    @Parameter(name = "provider", in = ParameterIn.QUERY)
    @Parameter(name = "model", in = ParameterIn.QUERY, description = "The served model")
    @Parameter(name = "api_key", in = ParameterIn.QUERY, description = "Gateway API key id")
    @Parameter(name = "team", in = ParameterIn.QUERY, description = "The key's team")
    @Parameter(name = "status", in = ParameterIn.QUERY, description = "success, error or client_closed")
    @Parameter(name = "stream", in = ParameterIn.QUERY, description = "true or false")
    @Parameter(name = "request_id", in = ParameterIn.QUERY, description = "The client's correlation id (the x-request-id the router echoed to it): every request sent with it")
    @APIResponse(responseCode = "200", content = @Content(mediaType = "text/csv"))
    public Multi<String> export(@Context UriInfo uri) {
        UsageParams params = new UsageParams(uri.getQueryParameters(), EXPORT);
        UsageFilter filter = recordFilter(params);
        params.done();
        String name = "usage" + (filter.from() == null ? "" : "-from-" + filter.from().toString().replace(':', '-'))
                + (filter.to() == null ? "" : "-to-" + filter.to().toString().replace(':', '-')) + ".csv";
        return RestMulti.fromMultiData(service.exportCsv(filter))
                .header("Content-Disposition", "attachment; filename=\"" + name + "\"")
                .header("Content-Type", "text/csv; charset=UTF-8; header=present")
                .build();
    }

    /**
     * [from, to) of a summary, with the defaults, and the rollup's filters: a bound between two hours must be within
     * the raw-record retention (its partial hour is summed from the raw records).
     */
    private UsageFilter summaryRange(UsageParams params) {
        Instant from = UsageParams.ceilMicros(params.instant("from"));
        Instant to = UsageParams.ceilMicros(params.instant("to"));
        Instant now = Instant.now();
        if (from != null) {
            params.onTheHourOrRecent("from", from, from, retention, now);
        }
        if (to != null) {
            params.onTheHourOrRecent("to", to, to.truncatedTo(ChronoUnit.HOURS), retention, now);
        }
        return withDefaults(params, from, to, endOfHour(now), DEFAULT_RANGE);
    }

    /** [from, to) on whole hours, with the defaults, and the rollup's filters. */
    private static UsageFilter rollupRange(UsageParams params) {
        Instant from = params.instant("from");
        Instant to = params.instant("to");
        params.onTheHour("from", from);
        params.onTheHour("to", to);
        return withDefaults(params, from, to, endOfHour(Instant.now()), DEFAULT_RANGE);
    }

    /**
     * The range with its defaults (to: {@code defaultTo}, or {@code from} when that is later; from: {@code range}
     * before to), checked in order, with the rollup's filters.
     */
    private static UsageFilter withDefaults(UsageParams params, Instant from, Instant to, Instant defaultTo,
            Duration range) {
        if (to == null) {
            to = from != null && from.isAfter(defaultTo) ? from : defaultTo;
        }
        if (from == null) {
            from = to.minus(range);
        }
        params.ordered(from, to);
        return new UsageFilter(from, to, params.text("provider"), params.text("model"), params.text("api_key"), null,
                null, null, params.text("team"));
    }

    private static Instant endOfHour(Instant now) {
        return now.truncatedTo(ChronoUnit.HOURS).plus(Duration.ofHours(1));
    }

    private static UsageFilter recordFilter(UsageParams params) {
        Instant from = params.instant("from");
        Instant to = params.instant("to");
        params.ordered(from, to);
        return new UsageFilter(from, to, params.text("provider"), params.text("model"), params.text("api_key"),
                params.status(), params.bool("stream"), params.text("request_id"), params.text("team"));
    }
}
