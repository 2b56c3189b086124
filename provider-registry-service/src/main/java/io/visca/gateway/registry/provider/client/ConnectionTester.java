package io.visca.gateway.registry.provider.client;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpMethod;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.ext.web.client.HttpRequest;
import io.vertx.mutiny.ext.web.client.HttpResponse;
import io.visca.gateway.auth.SealedSecrets;
import io.visca.gateway.contracts.provider.EndpointConfig;
import io.visca.gateway.contracts.provider.HealthCheckConfig;
import io.visca.gateway.contracts.provider.ModelConfig;
import io.visca.gateway.contracts.provider.ProviderConfig;
import io.visca.gateway.outbound.HealthProbe;
import io.visca.gateway.providers.CheckFailure;
import io.visca.gateway.providers.ConnectionCheck;
import io.visca.gateway.providers.KnownProviderTypes;
import io.visca.gateway.providers.ProviderType;
import io.visca.gateway.providers.UnknownProviderTypeException;
import io.visca.gateway.providers.UpstreamCall;
import io.visca.gateway.registry.config.RegistryConfig;
import io.visca.gateway.registry.provider.advice.PlainHttpAdvice;

/**
 * "Test Connection": calls every endpoint of a provider for real, in parallel, with the provider's auth (secrets
 * resolved from this service's environment at call time), as its type's package says
 * ({@link ProviderType#connectionCheck()}): the type's model listing (or a reachability request),
 * then a one-token chat to the first chat model, then the health check as the health monitor makes it. Non-blocking; each call
 * is timed out and goes through the outbound
 * URL policy ({@link UpstreamWebClient#request}: an endpoint whose address it refuses fails with
 * {@code refused_by_policy} and gets nothing). The report holds no secret, and of an upstream's words only a short
 * sanitized excerpt.
 */
@ApplicationScoped
public class ConnectionTester {

    private final UpstreamWebClient http;
    private final UpstreamAuth auth;
    private final ObjectMapper json;
    private final RegistryConfig config;

    ConnectionTester(UpstreamWebClient http, UpstreamAuth auth, ObjectMapper json, RegistryConfig config) {
        this.http = http;
        this.auth = auth;
        this.json = json;
        this.config = config;
    }

    /**
     * Tests a stored provider whose literal secrets were decrypted for this call; one that could not be decrypted
     * fails every endpoint with {@code missing_secret}, naming the field.
     */
    public Uni<ConnectionTestReport> test(SealedSecrets.Opened opened) {
        return test(opened.config(), opened.problem());
    }

    private Uni<ConnectionTestReport> test(ProviderConfig provider, String secretsProblem) {
        CallTimeouts timeouts = CallTimeouts.of(provider.timeouts(), config.testConnection().timeout(),
                config.testConnection().connectTimeout());
        ProviderType type = KnownProviderTypes.find(provider.type()).orElse(null);
        List<Uni<EndpointTestResult>> results = provider.endpoints().stream()
                .map(endpoint -> type == null ? unknownType(provider, endpoint)
                        : testEndpoint(provider, endpoint, type.connectionCheck(), timeouts, secretsProblem))
                .toList();
        return Uni.join().all(results).andFailFast()
                .map(list -> new ConnectionTestReport(provider.name(), provider.type(),
                        list.stream().allMatch(EndpointTestResult::ok), Instant.now(), list,
                        PlainHttpAdvice.of(provider)));
    }

    /** A type no package registers (stored before it was removed): nothing is sent, no other type's check is made. */
    private static Uni<EndpointTestResult> unknownType(ProviderConfig provider, EndpointConfig endpoint) {
        String known = new UnknownProviderTypeException(provider.type(), KnownProviderTypes.names()).getMessage();
        return Uni.createFrom().item(new EndpointProgress(endpoint, null).failed(new ProbeFailure(
                ProbeFailure.UNKNOWN_TYPE, null, known + ": nothing was sent")));
    }

    private Uni<EndpointTestResult> testEndpoint(ProviderConfig provider, EndpointConfig endpoint,
            ConnectionCheck probe, CallTimeouts timeouts, String secretsProblem) {
        EndpointProgress progress = new EndpointProgress(endpoint, probe);
        Uni<Map<String, String>> authHeaders = secretsProblem == null ? auth.headers(provider.auth(), timeouts)
                : Uni.createFrom().failure(new ProbeFailure(ProbeFailure.MISSING_SECRET, null, secretsProblem
                        + " (in provider-registry-service)"));
        return authHeaders
                .chain(headers -> first(provider, endpoint, probe, headers, timeouts, progress)
                        .chain(() -> chat(provider, endpoint, probe, headers, timeouts, progress))
                        .chain(() -> healthCheck(provider, endpoint, headers, timeouts, progress)))
                .map(ignored -> progress.result())
                .onFailure().recoverWithItem(failure -> progress.failed(
                        FailureClassifier.classify(failure, "authentication")));
    }

    private Uni<Void> first(ProviderConfig provider, EndpointConfig endpoint, ConnectionCheck probe,
            Map<String, String> headers, CallTimeouts timeouts, EndpointProgress progress) {
        UpstreamCall call = probe.first(provider);
        if (call == null) {
            return Uni.createFrom().voidItem();
        }
        String url = endpoint.baseUrl() + call.path();
        return send(url, call, headers, timeouts)
                .invoke(answer -> {
                    if ("GET".equals(call.method())) {
                        progress.firstAnswered(url, answer.status(), answer.latencyMs());
                    } else {
                        progress.answered(answer.status(), answer.latencyMs());
                    }
                    if (answer.status() < 200 || answer.status() > 299) {
                        progress.fail(FailureClassifier.forStatus(answer.status(), call.describe()));
                    } else if (probe.lists()) {
                        try {
                            progress.models(probe.modelIds(parse(answer.body())));
                        } catch (IllegalArgumentException e) {
                            progress.fail(FailureClassifier.unexpectedBody(answer.status(), call.describe(),
                                    e.getMessage()));
                        }
                    }
                })
                .onFailure().invoke(failure -> progress.fail(FailureClassifier.classify(failure, call.describe())))
                .replaceWithVoid()
                .onFailure().recoverWithNull();
    }

    private Uni<Void> chat(ProviderConfig provider, EndpointConfig endpoint, ConnectionCheck probe,
            Map<String, String> headers, CallTimeouts timeouts, EndpointProgress progress) {
        if (progress.stopped()) {
            return Uni.createFrom().voidItem();
        }
        ModelConfig model = chatModel(provider);
        if (model == null) {
            progress.chatNote("not attempted: no chat or completion model is configured");
            return Uni.createFrom().voidItem();
        }
        UpstreamCall call;
        try {
            call = probe.chat(provider, model, JqTransforms.INSTANCE);
        } catch (CheckFailure failure) {
            progress.chat(model.id(), null, null, new ProbeFailure(ProbeFailure.UNEXPECTED_BODY, null,
                    failure.getMessage()));
            return Uni.createFrom().voidItem();
        }
        if (call == null) {
            progress.chatNote(probe.chatNote());
            return Uni.createFrom().voidItem();
        }
        return send(endpoint.baseUrl() + call.path(), call, headers, timeouts)
                .invoke(answer -> {
                    ProbeFailure failure = null;
                    if (answer.status() < 200 || answer.status() > 299) {
                        failure = FailureClassifier.forStatus(answer.status(), call.describe());
                    } else {
                        String problem;
                        try {
                            problem = probe.checkChat(provider, parse(answer.body()), JqTransforms.INSTANCE);
                        } catch (IllegalArgumentException e) {
                            problem = e.getMessage();
                        }
                        if (problem != null) {
                            failure = FailureClassifier.unexpectedBody(answer.status(), call.describe(), problem);
                        }
                    }
                    progress.chat(model.id(), answer.status(), answer.latencyMs(), failure);
                })
                .onFailure().invoke(failure -> progress.chat(model.id(), null, null,
                        FailureClassifier.classify(failure, call.describe())))
                .replaceWithVoid()
                .onFailure().recoverWithNull();
    }

    /**
     * The health check as the health monitor makes it ({@link HealthProbe}: the same URL, headers and judgement), when
     * the provider's health checks are on and the endpoint answered. A GET of the URL the first request already made
     * (the type's default is often the model listing) is judged by that answer instead of being sent again.
     */
    private Uni<Void> healthCheck(ProviderConfig provider, EndpointConfig endpoint, Map<String, String> headers,
            CallTimeouts timeouts, EndpointProgress progress) {
        HealthCheckConfig config = provider.healthCheck();
        if (config != null && !config.enabled()) {
            progress.healthCheckNote("not made: health_check.enabled is false, the health monitor does not probe it");
            return Uni.createFrom().voidItem();
        }
        if (!progress.reachable()) {
            progress.healthCheckNote("not attempted: the endpoint did not answer");
            return Uni.createFrom().voidItem();
        }
        HealthProbe check;
        try {
            check = HealthProbe.of(provider.type(), endpoint.baseUrl(), config);
        } catch (IllegalArgumentException e) {
            ProbeFailure invalid = new ProbeFailure(ProbeFailure.INVALID_HEALTH_CHECK, null, e.getMessage());
            progress.healthCheck(new HealthCheckResult(false, null, null, null, null, invalid.reason(),
                    invalid.detail()), invalid);
            return Uni.createFrom().voidItem();
        }
        String call = "health check " + check.describe();
        if (progress.firstWasGetOf(check.url())) {
            judge(check, call, progress.httpStatus(), progress.latencyMs(), progress);
            return Uni.createFrom().voidItem();
        }
        UpstreamCall get = UpstreamCall.get(check.describe(), check.headers());
        return send(check.url(), get, headers, timeouts)
                .invoke(answer -> judge(check, call, answer.status(), answer.latencyMs(), progress))
                .onFailure().invoke(failure -> {
                    ProbeFailure cause = FailureClassifier.classify(failure, call);
                    progress.healthCheck(new HealthCheckResult(false, check.describe(), check.healthyWhen(), null,
                            null, cause.reason(), cause.detail()), cause);
                })
                .replaceWithVoid()
                .onFailure().recoverWithNull();
    }

    private static void judge(HealthProbe check, String call, int status, long latencyMs,
            EndpointProgress progress) {
        ProbeFailure cause = null;
        if (!check.healthy(status)) {
            cause = status == 401 || status == 403 ? FailureClassifier.forStatus(status, call)
                    : new ProbeFailure(ProbeFailure.UNHEALTHY, status, call + " answered HTTP " + status + ", not "
                            + check.healthyWhen() + ": the health monitor would mark this endpoint DOWN");
        }
        progress.healthCheck(new HealthCheckResult(cause == null, check.describe(), check.healthyWhen(), status,
                latencyMs, cause == null ? null : cause.reason(), cause == null ? null : cause.detail()), cause);
    }

    private Uni<Answer> send(String url, UpstreamCall call, Map<String, String> authHeaders,
            CallTimeouts timeouts) {
        // case-insensitive, as HTTP header names are: the provider's auth replaces a request header of the same name
        Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        call.headers().forEach((name, value) -> headers.put(name, auth.resolve("request.headers." + name, value)));
        headers.putAll(authHeaders);
        long start = System.nanoTime();
        Uni<HttpResponse<Buffer>> sent = http.request(HttpMethod.valueOf(call.method()), url).chain(target -> {
            HttpRequest<Buffer> request = timeouts.apply(target).putHeader("Accept", "application/json");
            headers.forEach(request::putHeader);
            if (call.body() == null) {
                return request.send();
            }
            return request.putHeader("Content-Type", "application/json")
                    .sendBuffer(Buffer.buffer(call.body().toString()));
        });
        return sent.ifNoItem().after(timeouts.total()).fail()
                .map(response -> new Answer(response.statusCode(), (System.nanoTime() - start) / 1_000_000,
                        response.bodyAsString()));
    }

    private JsonNode parse(String body) {
        if (body == null || body.isBlank()) {
            throw new IllegalArgumentException("empty body");
        }
        try {
            return json.readTree(body);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("the body is not JSON");
        }
    }

    static ModelConfig chatModel(ProviderConfig provider) {
        return provider.models().stream().filter(m -> ModelConfig.CHAT.equals(m.mode())).findFirst()
                .or(() -> provider.models().stream().filter(m -> ModelConfig.COMPLETION.equals(m.mode())).findFirst())
                .orElse(null);
    }

    private record Answer(int status, long latencyMs, String body) {
    }
}
