package io.visca.gateway.billing.testing;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import io.visca.gateway.contracts.event.UsageRecorded;

/**
 * A usage-recorded event as the router would publish it, with defaults for what a test does not care about: a fresh
 * event id (a random UUID, as the router makes one per request) and a request id of its own, unlike it.
 */
public final class EventBuilder {

    private String eventId = UUID.randomUUID().toString();
    private String requestId = "req_" + UUID.randomUUID();
    private Instant at = Instant.now();
    private String apiKey = "key";
    private String provider = "openai";
    private String model = "gpt-4o";
    private String requestedModel;
    private String status = "success";
    private int httpStatus = 200;
    private String errorType;
    private String errorCode;
    private boolean stream;
    private long prompt = 100;
    private long completion = 20;
    private long cached;
    private BigDecimal inputCost;
    private BigDecimal outputCost;
    private BigDecimal reportedCost;
    private long latencyMs = 120;
    private Long ttftMs;
    private String team;
    private List<String> budgetLeases = List.of();

    public static EventBuilder event() {
        return new EventBuilder();
    }

    /** The router's id of the request, the ledger's key. */
    public EventBuilder eventId(String eventId) {
        this.eventId = eventId;
        return this;
    }

    /** The client's correlation id ({@code x-request-id}), which several requests may share. */
    public EventBuilder requestId(String requestId) {
        this.requestId = requestId;
        return this;
    }

    public EventBuilder at(Instant at) {
        this.at = at;
        return this;
    }

    public EventBuilder key(String apiKey) {
        this.apiKey = apiKey;
        return this;
    }

    public EventBuilder provider(String provider) {
        this.provider = provider;
        return this;
    }

    public EventBuilder model(String model) {
        this.model = model;
        return this;
    }

    public EventBuilder requestedModel(String requestedModel) {
        this.requestedModel = requestedModel;
        return this;
    }

    /** {@code error} (502, upstream_error) or {@code client_closed} (499), or success (200). */
    public EventBuilder status(String status) {
        this.status = status;
        this.httpStatus = switch (status) {
            case "error" -> 502;
            case "client_closed" -> 499;
            default -> 200;
        };
        this.errorType = status.equals("error") ? "upstream_error" : null;
        this.errorCode = status.equals("error") ? "bad_gateway" : null;
        return this;
    }

    public EventBuilder errorCode(String errorCode) {
        this.errorCode = errorCode;
        return this;
    }

    public EventBuilder stream(boolean stream) {
        this.stream = stream;
        return this;
    }

    public EventBuilder latency(long latencyMs) {
        this.latencyMs = latencyMs;
        return this;
    }

    /** Time to first token (streamed requests); by default 35 ms when streamed, null otherwise. */
    public EventBuilder ttft(Long ttftMs) {
        this.ttftMs = ttftMs;
        return this;
    }

    public EventBuilder tokens(long prompt, long completion, long cached) {
        this.prompt = prompt;
        this.completion = completion;
        this.cached = cached;
        return this;
    }

    /** Configured input and output cost (total = their sum), exact decimals; null for a model without prices. */
    public EventBuilder cost(String input, String output) {
        this.inputCost = input == null ? null : new BigDecimal(input);
        this.outputCost = output == null ? null : new BigDecimal(output);
        return this;
    }

    public EventBuilder reported(String reported) {
        this.reportedCost = reported == null ? null : new BigDecimal(reported);
        return this;
    }

    /** The key's team. */
    public EventBuilder team(String team) {
        this.team = team;
        return this;
    }

    /** The quota store's budget leases the request was admitted under. */
    public EventBuilder leases(String... leases) {
        this.budgetLeases = List.of(leases);
        return this;
    }

    public UsageRecorded build() {
        BigDecimal total = inputCost == null || outputCost == null ? null : inputCost.add(outputCost);
        String endpoint = provider == null ? null : provider + "/0";
        List<UsageRecorded.Attempt> attempts = provider == null ? List.of()
                : List.of(new UsageRecorded.Attempt(provider, endpoint, model, httpStatus,
                        status.equals("success") ? null : errorCode, 118.5));
        return new UsageRecorded(UsageRecorded.SCHEMA_VERSION, eventId, at, requestId, apiKey,
                requestedModel == null ? model : requestedModel, model, provider, endpoint, "cost", attempts.size(),
                status, httpStatus, errorType, stream, prompt, completion, cached, false, inputCost, outputCost, total,
                reportedCost, latencyMs, ttftMs != null ? ttftMs : stream ? 35L : null, "chat", model, errorCode, attempts,
                team, budgetLeases);
    }
}
