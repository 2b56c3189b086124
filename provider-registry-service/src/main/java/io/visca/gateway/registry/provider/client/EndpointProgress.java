package io.visca.gateway.registry.provider.client;

import java.util.List;

import io.visca.gateway.contracts.provider.EndpointConfig;
import io.visca.gateway.outbound.UpstreamExcerpt;
import io.visca.gateway.providers.ConnectionCheck;

/** What is known so far about one endpoint under test; becomes its {@link EndpointTestResult}. */
final class EndpointProgress {

    /** The most model ids a report repeats of a listing. */
    static final int MAX_MODELS = 1000;

    private final EndpointConfig endpoint;
    /** The type's Test Connection; null for a type no package registers (nothing is tried). */
    private final ConnectionCheck probe;
    private boolean reachable;
    private Integer httpStatus;
    private Long latencyMs;
    private List<String> models;
    private ChatCheckResult chat;
    private String chatNote;
    private HealthCheckResult healthCheck;
    private String healthCheckNote;
    private String firstUrl;
    private ProbeFailure failure;

    EndpointProgress(EndpointConfig endpoint, ConnectionCheck probe) {
        this.endpoint = endpoint;
        this.probe = probe;
    }

    /** The first request, a GET of {@code url}, answered: a health check of the same URL reuses its answer. */
    void firstAnswered(String url, int status, long latency) {
        firstUrl = url;
        answered(status, latency);
    }

    /** Whether the first request was a GET of {@code url} that answered ({@link #httpStatus()} its status). */
    boolean firstWasGetOf(String url) {
        return url.equals(firstUrl);
    }

    boolean reachable() {
        return reachable;
    }

    Integer httpStatus() {
        return httpStatus;
    }

    Long latencyMs() {
        return latencyMs;
    }

    void answered(int status, long latency) {
        reachable = true;
        if (httpStatus == null) {
            httpStatus = status;
            latencyMs = latency;
        }
    }

    /** The listed model ids, as the upstream wrote them but bounded: at most {@link #MAX_MODELS}, each cleaned. */
    void models(List<String> ids) {
        models = ids.stream().limit(MAX_MODELS).map(id -> UpstreamExcerpt.clean(id, UpstreamExcerpt.MAX_CHARS))
                .toList();
    }

    void fail(ProbeFailure cause) {
        if (failure == null) {
            failure = cause;
        }
    }

    /** After no answer at all, or rejected credentials, a chat would tell nothing more. */
    boolean stopped() {
        if (failure == null) {
            return false;
        }
        if (!reachable) {
            chatNote = "not attempted: the endpoint did not answer";
            return true;
        }
        if (ProbeFailure.AUTH.equals(failure.reason())) {
            chatNote = "not attempted: the endpoint rejected the credentials";
            return true;
        }
        return false;
    }

    void chatNote(String note) {
        chatNote = note;
    }

    void chat(String model, Integer status, Long latency, ProbeFailure cause) {
        if (status != null) {
            answered(status, latency);
        }
        chat = new ChatCheckResult(cause == null, model, status, latency, cause == null ? null : cause.reason(),
                cause == null ? null : cause.detail());
        fail(cause);
    }

    void healthCheckNote(String note) {
        healthCheckNote = note;
    }

    void healthCheck(HealthCheckResult result, ProbeFailure cause) {
        healthCheck = result;
        fail(cause);
    }

    /** The endpoint could not be tried at all (e.g. a secret is missing). */
    EndpointTestResult failed(ProbeFailure cause) {
        fail(cause);
        chatNote = chatNote == null ? "not attempted" : chatNote;
        healthCheckNote = healthCheckNote == null ? "not attempted" : healthCheckNote;
        return result();
    }

    EndpointTestResult result() {
        boolean ok = reachable && failure == null;
        return new EndpointTestResult(endpoint.id(), endpoint.baseUrl(), ok, reachable, httpStatus, latencyMs,
                models, probe == null || probe.lists() ? null : probe.modelsNote(), chat, chatNote, healthCheck,
                healthCheckNote,
                failure == null ? null : failure.reason(), failure == null ? null : failure.detail());
    }
}
