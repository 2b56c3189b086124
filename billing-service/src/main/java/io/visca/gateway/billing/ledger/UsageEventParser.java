package io.visca.gateway.billing.ledger;

import java.io.IOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;

import io.visca.gateway.contracts.event.UsageRecorded;

/**
 * Reads one usage-recorded value (JSON, the contracts' naming) and checks what the ledger relies on. A value that
 * fails is reported with a reason that names the field or the position, never the content (which could be anything,
 * a secret included).
 */
@ApplicationScoped
public class UsageEventParser {

    static final int MAX_ID = 256;
    private static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");
    private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999999Z");

    /** Either {@code event} (and its attempt log as JSON) or {@code problem}. */
    public record Parsed(UsageRecorded event, String attemptLogJson, String problem) {

        static Parsed problem(String problem) {
            return new Parsed(null, null, problem);
        }

        public boolean valid() {
            return problem == null;
        }
    }

    private final ObjectReader reader;
    private final ObjectWriter attemptsWriter;

    UsageEventParser(ObjectMapper mapper) {
        this.reader = mapper.readerFor(UsageRecorded.class);
        this.attemptsWriter = mapper.writerFor(mapper.getTypeFactory().constructCollectionType(List.class,
                UsageRecorded.Attempt.class));
    }

    public Parsed parse(byte[] value) {
        if (value == null || value.length == 0) {
            return Parsed.problem("empty value (a tombstone?)");
        }
        UsageRecorded event;
        try {
            event = reader.readValue(value);
        } catch (JsonMappingException e) {
            String path = path(e);
            return Parsed.problem((path.isEmpty() ? "not a usage-recorded object" : "wrong type or value for " + path)
                    + at(e.getLocation()));
        } catch (JsonProcessingException e) {
            return Parsed.problem("not valid JSON" + at(e.getLocation()));
        } catch (IOException e) {
            return Parsed.problem("unreadable: " + e.getClass().getSimpleName());
        }
        if (event == null) {
            return Parsed.problem("null instead of an object");
        }
        String problem = check(event);
        if (problem != null) {
            return Parsed.problem(problem);
        }
        try {
            return new Parsed(event, attemptsWriter.writeValueAsString(event.attemptLog()), null);
        } catch (JsonProcessingException e) {
            return Parsed.problem("attempt_log cannot be written back as JSON");
        }
    }

    /**
     * The first thing the ledger cannot take, or null. The event id is its key, so without one an event cannot be
     * stored exactly once; the request id (the client's correlation id) is required as well, as the contract says.
     */
    static String check(UsageRecorded e) {
        String id = id("event_id", e.eventId());
        if (id == null) {
            id = id("request_id", e.requestId());
        }
        if (id != null) {
            return id;
        }
        if (e.occurredAt() == null) {
            return "occurred_at is missing";
        }
        if (e.occurredAt().isBefore(EARLIEST) || e.occurredAt().isAfter(LATEST)) {
            return "occurred_at is out of range (years 1 to 9999)";
        }
        if (e.status() == null || e.status().isBlank()) {
            return "status is missing";
        }
        if (e.promptTokens() < 0 || e.completionTokens() < 0 || e.cachedTokens() < 0) {
            return "a token count is negative";
        }
        if (e.attempts() < 0 || e.latencyMs() < 0) {
            return "attempts or latency_ms is negative";
        }
        String cost = negative("input_cost", e.inputCost(), "output_cost", e.outputCost(), "total_cost",
                e.totalCost(), "reported_cost", e.reportedCost());
        if (cost != null) {
            return cost + " is negative";
        }
        String leases = leases(e.budgetLeases());
        if (leases != null) {
            return leases;
        }
        String nul = withNul("event_id", e.eventId(), "request_id", e.requestId(), "api_key_id", e.apiKeyId(),
                "requested_model",
                e.requestedModel(), "served_model", e.servedModel(), "provider", e.provider(), "endpoint",
                e.endpoint(), "strategy", e.strategy(), "status", e.status(), "error_type", e.errorType(),
                "operation", e.operation(), "upstream_model", e.upstreamModel(), "error_code", e.errorCode(), "team",
                e.team());
        if (nul == null) {
            for (UsageRecorded.Attempt a : e.attemptLog()) {
                if (a == null) {
                    return "attempt_log holds a null";
                }
                nul = withNul("attempt_log.provider", a.provider(), "attempt_log.endpoint", a.endpoint(),
                        "attempt_log.model", a.model(), "attempt_log.error_code", a.errorCode());
                if (nul != null) {
                    break;
                }
            }
        }
        return nul == null ? null : nul + " contains a NUL character, which PostgreSQL text cannot hold";
    }

    private static String id(String name, String value) {
        if (value == null || value.isBlank()) {
            return name + " is missing";
        }
        if (value.length() > MAX_ID) {
            return name + " is longer than " + MAX_ID + " characters";
        }
        return null;
    }

    /** A request is admitted under at most a key's and a team's lease; a few more are tolerated, not hundreds. */
    static final int MAX_LEASES = 16;

    private static String leases(List<String> leases) {
        if (leases.size() > MAX_LEASES) {
            return "budget_leases has more than " + MAX_LEASES + " entries";
        }
        for (String lease : leases) {
            if (lease == null || lease.isEmpty() || lease.length() > MAX_ID) {
                return "budget_leases holds a null, empty or over-long entry";
            }
            if (lease.indexOf('\0') >= 0) {
                return "budget_leases contains a NUL character, which PostgreSQL text cannot hold";
            }
        }
        return null;
    }

    private static String negative(Object... namesAndValues) {
        for (int i = 0; i < namesAndValues.length; i += 2) {
            BigDecimal value = (BigDecimal) namesAndValues[i + 1];
            if (value != null && value.signum() < 0) {
                return (String) namesAndValues[i];
            }
        }
        return null;
    }

    private static String withNul(String... namesAndValues) {
        for (int i = 0; i < namesAndValues.length; i += 2) {
            String value = namesAndValues[i + 1];
            if (value != null && value.indexOf('\0') >= 0) {
                return namesAndValues[i];
            }
        }
        return null;
    }

    private static String path(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (var ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                path.append(path.length() == 0 ? "" : ".").append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    private static String at(JsonLocation location) {
        return location == null || location.getLineNr() < 0 ? ""
                : " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
    }
}
