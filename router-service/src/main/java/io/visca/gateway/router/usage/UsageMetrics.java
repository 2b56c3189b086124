package io.visca.gateway.router.usage;

import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;

/**
 * The request metrics, recorded from each {@link FinishedRequest} on the usage thread (never on an event loop), with
 * OpenTelemetry's GenAI names where one fits. Meters are looked up once per provider, models and operation and then
 * kept (this class is used by that one thread). Label values come from the configuration only: a request that
 * reached no provider is counted under {@code none}, never under the model name the client sent.
 */
final class UsageMetrics {

    static final String NONE = "none";
    /** OpenTelemetry's advice for {@code gen_ai.client.operation.duration}. */
    private static final Duration[] OPERATION_BUCKETS = seconds(0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56,
            5.12, 10.24, 20.48, 40.96, 81.92);
    /** OpenTelemetry's advice for {@code gen_ai.server.time_to_first_token}. */
    private static final Duration[] FIRST_TOKEN_BUCKETS = seconds(0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1,
            0.25, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0);
    private static final Duration[] OVERHEAD_BUCKETS = seconds(0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01,
            0.025, 0.05, 0.1, 0.25, 0.5, 1);
    /** OpenTelemetry's advice for {@code gen_ai.client.token.usage}. */
    private static final double[] TOKEN_BUCKETS = { 1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576,
            4194304, 16777216, 67108864 };

    private final MeterRegistry registry;
    private final Map<Route, RouteMeters> routes = new HashMap<>();

    UsageMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    void record(FinishedRequest request) {
        routes.computeIfAbsent(Route.of(request), RouteMeters::new).record(request);
    }

    /** What the labels of a request's meters say: its provider, its models and its operation. */
    record Route(String provider, String requestModel, String responseModel, String operation) {

        static Route of(FinishedRequest r) {
            if (r.provider() == null) {
                return new Route(NONE, NONE, NONE, r.operation());
            }
            return new Route(r.provider(), r.requestedModel() == null ? NONE : r.requestedModel(),
                    r.servedModel() == null ? NONE : r.servedModel(), r.operation());
        }

        boolean routed() {
            return !NONE.equals(provider);
        }

        Tags gateway() {
            return Tags.of("provider", provider, "model", responseModel, "operation", operation);
        }

        Tags genAi() {
            String name = switch (operation) {
                case "completions" -> "text_completion";
                default -> operation; // chat, embeddings
            };
            return Tags.of("gen_ai.operation.name", name, "gen_ai.provider.name", provider, "gen_ai.request.model",
                    requestModel, "gen_ai.response.model", responseModel);
        }
    }

    /** The meters of one route, created as they are first needed. */
    private final class RouteMeters {

        private final Route route;
        private final Map<String, Counter> requests = new HashMap<>(4);
        private final Map<String, Counter> errors = new HashMap<>(4);
        private final Map<String, Timer> durations = new HashMap<>(4);
        private Timer firstToken;
        private Timer upstream;
        private Timer overhead;
        private DistributionSummary inputTokens;
        private DistributionSummary outputTokens;
        private Counter cost;

        RouteMeters(Route route) {
            this.route = route;
        }

        void record(FinishedRequest r) {
            requests.computeIfAbsent(r.status(), status -> Counter.builder("visca.gateway.requests")
                    .description("Finished /v1 requests").tags(route.gateway()).tag("status", status)
                    .register(registry)).increment();
            if (r.errorType() != null) {
                String code = r.errorCode() == null ? NONE : r.errorCode();
                errors.computeIfAbsent(r.errorType() + ' ' + code, key -> Counter.builder("visca.gateway.errors")
                        .description("Failed /v1 requests, by error type and code").tags(route.gateway())
                        .tag("error_type", r.errorType()).tag("error_code", code).register(registry)).increment();
            }
            if (!route.routed()) {
                return;
            }
            String errorType = r.errorType() == null ? "" : r.errorCode() == null ? r.errorType() : r.errorCode();
            durations.computeIfAbsent(errorType, type -> Timer.builder("gen_ai.client.operation.duration")
                    .description("Duration of GenAI operations through the gateway, to the last byte")
                    .tags(route.genAi()).tag("error.type", type).serviceLevelObjectives(OPERATION_BUCKETS)
                    .register(registry)).record(nanos(r.latencyMs()), TimeUnit.NANOSECONDS);
            if (r.timeToFirstTokenMs() != null) {
                if (firstToken == null) {
                    firstToken = Timer.builder("gen_ai.server.time_to_first_token")
                            .description("Time from the request's arrival to its first generated token")
                            .tags(route.genAi()).serviceLevelObjectives(FIRST_TOKEN_BUCKETS).register(registry);
                }
                firstToken.record(nanos(r.timeToFirstTokenMs()), TimeUnit.NANOSECONDS);
            }
            if (r.upstreamLatencyMs() != null) {
                if (upstream == null) {
                    upstream = Timer.builder("visca.gateway.upstream.duration")
                            .description("The serving upstream's part of a request (to its response head for streams)")
                            .tags(route.gateway()).serviceLevelObjectives(OPERATION_BUCKETS).register(registry);
                }
                upstream.record(nanos(r.upstreamLatencyMs()), TimeUnit.NANOSECONDS);
            }
            if (r.gatewayOverheadMs() != null) {
                if (overhead == null) {
                    overhead = Timer.builder("visca.gateway.overhead")
                            .description("The gateway's own time in a request (x-visca-overhead-ms)")
                            .tags(route.gateway()).serviceLevelObjectives(OVERHEAD_BUCKETS).register(registry);
                }
                overhead.record(nanos(r.gatewayOverheadMs()), TimeUnit.NANOSECONDS);
            }
            recordTokensAndCost(r);
        }

        private void recordTokensAndCost(FinishedRequest r) {
            if (r.promptTokens() > 0) {
                if (inputTokens == null) {
                    inputTokens = tokens("input");
                }
                inputTokens.record(r.promptTokens());
            }
            if (r.completionTokens() > 0) {
                if (outputTokens == null) {
                    outputTokens = tokens("output");
                }
                outputTokens.record(r.completionTokens());
            }
            if (r.cost() != null) {
                if (cost == null) {
                    cost = Counter.builder("visca.gateway.cost").baseUnit("usd")
                            .description("Cost of the requests from the models' configured prices, in USD")
                            .tags(route.gateway()).register(registry);
                }
                cost.increment(r.cost().total().doubleValue());
            }
        }

        private DistributionSummary tokens(String type) {
            return DistributionSummary.builder("gen_ai.client.token.usage")
                    .description("Tokens per request (estimated where the upstream reported none)")
                    .tags(route.genAi()).tag("gen_ai.token.type", type).serviceLevelObjectives(TOKEN_BUCKETS)
                    .register(registry);
        }
    }

    private static long nanos(double millis) {
        return (long) (millis * 1_000_000);
    }

    private static Duration[] seconds(double... values) {
        return Arrays.stream(values).mapToObj(s -> Duration.ofNanos((long) (s * 1e9))).toArray(Duration[]::new);
    }
}
