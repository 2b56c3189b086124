package io.visca.gateway.router.routing;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.micrometer.core.instrument.MeterRegistry;
import io.visca.gateway.auth.SecretResolver;
import io.visca.gateway.auth.UpstreamAuthHeaders;
import io.visca.gateway.contracts.provider.AuthConfig;
import io.visca.gateway.contracts.provider.ModelConfig;
import io.visca.gateway.contracts.routing.RoutingPolicy;
import io.visca.gateway.router.adapter.Operation;
import io.visca.gateway.router.adapter.TokenEstimates;
import io.visca.gateway.router.adapter.UpstreamErrors;
import io.visca.gateway.router.config.RouterConfig;
import io.visca.gateway.router.error.Failure;
import io.visca.gateway.router.error.GatewayError;

/**
 * Chooses where a request may go: the candidates (every provider serving the model, or every routable model for
 * {@code auto}), filtered (allow-list, operation supported, a healthy endpoint, context window, the provider's limits)
 * and ordered by the strategy. Says why each candidate was left out when none is left. When none has a healthy
 * endpoint it fails open ({@link FailOpen}) unless that is turned off.
 */
@Singleton
public class RoutingPlanner {

    /** {@code x-visca-skipped} stays well under header size limits (health reasons can be long). */
    static final int MAX_SKIPPED_HEADER = 2000;

    private final int assumedCompletionTokens;
    private final FailOpen failOpen;
    /** The {@code ${NAME}} secrets a provider's auth needs that this router is not given (none: empty). */
    private final Function<AuthConfig, List<String>> unsetSecrets;
    /** How a candidate skipped for its credentials is described ({@code x-visca-skipped}, the 503's message). */
    public static final String NO_CREDENTIALS = "no credentials";

    private final Map<String, AtomicInteger> turns = new ConcurrentHashMap<>();

    @Inject
    public RoutingPlanner(RouterConfig config, MeterRegistry registry, SecretResolver secrets) {
        this(config.routing().assumedCompletionTokens(), new FailOpen(config.routing().failOpen(), registry),
                auth -> UpstreamAuthHeaders.unsetSecrets(secrets, auth));
    }

    /** Without failing open: no candidate with a healthy endpoint is a 503. */
    public RoutingPlanner(int assumedCompletionTokens) {
        this(assumedCompletionTokens, FailOpen.off());
    }

    public RoutingPlanner(int assumedCompletionTokens, FailOpen failOpen) {
        this(assumedCompletionTokens, failOpen, auth -> List.of());
    }

    /**
     * @param unsetSecrets the secrets an auth config needs that the router is not given: a provider with any has no
     *        credentials here and is skipped (its models stay listed; naming it in {@code routing.providers} is fine)
     */
    public RoutingPlanner(int assumedCompletionTokens, FailOpen failOpen,
            Function<AuthConfig, List<String>> unsetSecrets) {
        this.assumedCompletionTokens = assumedCompletionTokens;
        this.failOpen = failOpen;
        this.unsetSecrets = unsetSecrets;
    }

    /** One candidate with what ordering needs. */
    private record Candidate(ModelRoute route, int priority, BigDecimal cost) {
    }

    /** The candidates that passed the filters, and why the others did not. */
    private static final class Filtered {
        final List<Candidate> candidates = new ArrayList<>();
        final List<String> skipped = new ArrayList<>();
        /** The first reason per provider, for {@code x-visca-skipped}; null until one is skipped. */
        Map<String, String> skippedProviders;
        boolean onlyContext = true;
        boolean onlyPaused = true;
        boolean onlyUnsupported = true;
        ModelRoute unsupported;
        long retryAfter = Long.MAX_VALUE;
        /** Whether a route that passed the allow-list, operation and context window has a healthy endpoint. */
        boolean anyHealthy;
        /** Whether a route that passed them has none. */
        boolean anyUnhealthy;
    }

    /**
     * The plan for a request. When no candidate that passes the allow-list, the operation and the context window has
     * a healthy endpoint, and failing open is on ({@link FailOpen}), the health verdicts are set aside: the plan holds
     * those candidates (still within their pause, {@code max_concurrent} and circuit breakers), in the strategy's
     * order, and says {@link RoutingPlan#failOpen()}.
     *
     * @param allowedModels the models the request's key may use (null: every model): {@code auto} routes only among
     *        them
     */
    public RoutingPlan plan(RoutingTable table, Operation operation, ObjectNode body, String model,
            RoutingPolicy policy, List<String> allowedModels) {
        boolean auto = RoutingPolicy.AUTO.equals(model);
        List<ModelRoute> routes = auto ? autoRoutes(table, operation, allowedModels) : table.routes(model);
        if (routes.isEmpty() && auto && allowedModels != null) {
            throw NoCandidateErrors.noAllowedModel(allowedModels, mode(operation));
        }
        if (routes.isEmpty()) {
            // as for a model no enabled provider serves: nothing to wait for, the client named the wrong thing
            throw auto ? new GatewayError(Failure.MODEL_NOT_FOUND, Failure.MODEL_NOT_FOUND.code(), "model",
                    "No enabled provider serves a " + mode(operation) + " model, so model 'auto' has nothing to "
                            + "route to.",
                    0)
                    : NoCandidateErrors.notServed(table, model);
        }
        // the prompt estimate walks the messages: only when a context window or the cost strategy needs it
        long prompt = needsPromptEstimate(routes, policy) ? TokenEstimates.ofRequest(body) : 0;
        long maxTokens = maxTokens(body);
        long now = System.nanoTime();
        boolean fallback = !Boolean.FALSE.equals(policy.fallback());
        Filtered pass = filter(routes, operation, policy, prompt, maxTokens, now, false);
        if (pass.candidates.isEmpty() && !pass.anyHealthy && pass.anyUnhealthy && failOpen.enabled()) {
            Filtered open = filter(routes, operation, policy, prompt, maxTokens, now, true);
            if (!open.candidates.isEmpty()) {
                List<String> providers = new ArrayList<>();
                open.candidates.forEach(c -> providers.add(c.route().provider().name()));
                failOpen.entered(model, providers, pass.skipped);
                return new RoutingPlan(policy.strategy(), fallback, order(policy, model, open.candidates, now),
                        pass.skipped, skippedHeader(pass), true);
            }
            // nothing even without the health verdicts (circuits open, paused, full): answered as without failing open
        }
        if (pass.candidates.isEmpty()) {
            throw none(pass, table, model, routes, policy, operation);
        }
        failOpen.left(model);
        return new RoutingPlan(policy.strategy(), fallback, order(policy, model, pass.candidates, now), pass.skipped,
                skippedHeader(pass), false);
    }

    /**
     * @param ignoreHealth failing open: a provider needs an endpoint its circuit breaker lets through, whatever the
     *        health monitor says
     */
    private Filtered filter(List<ModelRoute> routes, Operation operation, RoutingPolicy policy, long prompt,
            long maxTokens, long now, boolean ignoreHealth) {
        Filtered out = new Filtered();
        // a provider's routes come one after the other (all of its models for auto): its credentials are looked up
        // once per provider, not once per model
        ProviderRuntime checked = null;
        String noCredentials = null;
        boolean noCredentialsSaid = false;
        for (int i = 0; i < routes.size(); i++) {
            ModelRoute route = routes.get(i);
            ProviderRuntime provider = route.provider();
            int priority = policy.providers().isEmpty() ? i : policy.providers().indexOf(provider.name());
            if (priority < 0) {
                continue; // not in the allow-list
            }
            if (provider != checked) {
                checked = provider;
                List<String> unset = unsetSecrets.apply(provider.config().auth());
                noCredentials = unset.isEmpty() ? null
                        : NO_CREDENTIALS + " (" + String.join(", ", unset) + " not set for the router)";
                noCredentialsSaid = false;
            }
            String why = null;
            boolean withoutCredentials = false;
            Integer window = route.model().contextWindow();
            long paused = provider.state().pausedSeconds(now);
            if (!provider.adapter().supports(operation)) {
                why = "type " + provider.adapter().type() + " does not support " + operation.label();
                out.unsupported = route;
            } else if (window != null && (maxTokens > window || prompt > window - maxTokens)) {
                // (not prompt + maxTokens > window: a max_tokens near Long.MAX_VALUE would overflow and fit)
                why = "context window " + window + " < ~" + prompt + " prompt + " + maxTokens + " max tokens";
            } else if (noCredentials != null) {
                why = noCredentials;
                withoutCredentials = true;
            } else if (!provider.anyEndpointAvailable(now, ignoreHealth)) {
                out.anyUnhealthy = true;
                why = "no healthy endpoint (" + endpointReasons(provider) + ")";
            } else {
                out.anyHealthy = true;
                if (paused > 0) {
                    why = "paused for " + paused + " s by its 429 Retry-After";
                    out.retryAfter = Math.min(out.retryAfter, paused);
                } else if (provider.state().full()) {
                    why = "at its max_concurrent (" + provider.inFlight() + " in flight)";
                    out.retryAfter = Math.min(out.retryAfter, 1);
                }
            }
            if (why == null) {
                out.candidates.add(new Candidate(route, priority, cost(route.model(), prompt, maxTokens)));
            } else {
                out.onlyContext &= why.startsWith("context window");
                out.onlyPaused &= paused > 0 && why.startsWith("paused");
                out.onlyUnsupported &= out.unsupported == route;
                if (!withoutCredentials) {
                    out.skipped.add(label(route) + ": " + why);
                } else if (!noCredentialsSaid) {
                    // a reason of the provider, not of the model: said once, not for each of its models
                    noCredentialsSaid = true;
                    out.skipped.add("provider '" + provider.name() + "': " + why);
                }
                if (out.skippedProviders == null) {
                    out.skippedProviders = new LinkedHashMap<>();
                }
                out.skippedProviders.putIfAbsent(provider.name(), why);
            }
        }
        return out;
    }

    /**
     * {@code x-visca-skipped}: each provider that had a candidate left out, with the first reason, e.g.
     * {@code openai: no credentials (OPENAI_API_KEY not set for the router); anthropic: ...}; null when none was.
     */
    private static String skippedHeader(Filtered pass) {
        if (pass.skippedProviders == null) {
            return null;
        }
        StringBuilder header = new StringBuilder();
        pass.skippedProviders.forEach((provider, why) -> {
            if (header.length() < MAX_SKIPPED_HEADER) {
                header.append(header.length() == 0 ? "" : "; ").append(provider).append(": ").append(why);
            }
        });
        for (int i = 0; i < header.length(); i++) {
            char c = header.charAt(i);
            if (c < 0x20 || c > 0x7E) {
                header.setCharAt(i, '?'); // a health reason may quote anything; a header value may not hold it
            }
        }
        return header.length() <= MAX_SKIPPED_HEADER ? header.toString()
                : header.substring(0, MAX_SKIPPED_HEADER - 3) + "...";
    }

    /** Why no candidate is left, as the error to answer with. */
    private static GatewayError none(Filtered pass, RoutingTable table, String model, List<ModelRoute> routes,
            RoutingPolicy policy, Operation operation) {
        if (pass.skipped.isEmpty()) {
            return NoCandidateErrors.outsideAllowList(table, model, routes, policy);
        }
        if (pass.onlyUnsupported) {
            // a client mistake, as before routing: e.g. embeddings from a model only an anthropic provider serves
            return UpstreamErrors.unsupported(pass.unsupported.provider().name(),
                    pass.unsupported.provider().adapter().type(), operation);
        }
        if (pass.onlyContext) {
            return GatewayError.badRequest("The request does not fit the context window of any model that could serve it: "
                    + String.join("; ", pass.skipped) + ".", "messages", "context_length_exceeded");
        }
        if (pass.onlyPaused) {
            // every candidate asked for a pause: the client is rate limited, and told for how long
            return new GatewayError(Failure.RATE_LIMIT_EXCEEDED, "Every provider of model '" + model
                    + "' is rate limiting the gateway: " + String.join("; ", pass.skipped) + ".", pass.retryAfter);
        }
        return NoCandidateErrors.noCandidate(model, pass.skipped, pass.retryAfter == Long.MAX_VALUE ? 0 : pass.retryAfter);
    }

    /**
     * A planned request found every endpoint of every candidate DOWN when it came to try one (the verdicts arrived
     * after its plan): it fails open as a new plan would, counted and logged the same way.
     *
     * @return false when failing open is off: the attempt answers 503
     */
    public boolean failOpenLate(String model, String provider) {
        if (!failOpen.enabled()) {
            return false;
        }
        failOpen.entered(model, List.of(provider), List.of("every endpoint went DOWN after the request was planned"));
        return true;
    }

    private static boolean needsPromptEstimate(List<ModelRoute> routes, RoutingPolicy policy) {
        if (RoutingPolicy.COST_OPTIMIZED.equals(policy.strategy()) && routes.size() > 1) {
            return true;
        }
        for (ModelRoute route : routes) {
            if (route.model().contextWindow() != null) {
                return true;
            }
        }
        return false;
    }

    private List<ModelRoute> order(RoutingPolicy policy, String model, List<Candidate> candidates, long now) {
        if (candidates.size() == 1 && !RoutingPolicy.ROUND_ROBIN.equals(policy.strategy())) {
            return List.of(candidates.get(0).route());
        }
        Comparator<Candidate> byPriority = Comparator.comparingInt(Candidate::priority);
        List<Candidate> sorted = new ArrayList<>(candidates);
        switch (policy.strategy()) {
            case RoutingPolicy.COST_OPTIMIZED -> sorted.sort(Comparator.comparing(Candidate::cost).thenComparing(
                    byPriority));
            case RoutingPolicy.LATENCY_OPTIMIZED -> sorted.sort(Comparator.comparingDouble(
                    (Candidate c) -> latencyKey(c.route().provider().bestLatencyMs(now))).thenComparing(byPriority));
            case RoutingPolicy.LEAST_BUSY -> sorted.sort(Comparator.comparingInt(
                    (Candidate c) -> c.route().provider().inFlight()).thenComparing(byPriority));
            case RoutingPolicy.ROUND_ROBIN -> {
                sorted.sort(byPriority);
                int turn = turns.computeIfAbsent(model, k -> new AtomicInteger()).getAndIncrement();
                java.util.Collections.rotate(sorted, -Math.floorMod(turn, sorted.size()));
            }
            case RoutingPolicy.WEIGHTED -> sorted = weighted(sorted, policy.weights());
            default -> sorted.sort(byPriority);
        }
        List<ModelRoute> routes = new ArrayList<>(sorted.size());
        sorted.forEach(c -> routes.add(c.route()));
        return routes;
    }

    /** Unmeasured endpoints first (so they get measured), then the fastest. */
    private static double latencyKey(double latencyMs) {
        return Double.isNaN(latencyMs) ? -1 : latencyMs;
    }

    /** A weighted random order: each pick among those left, with probability proportional to its weight. */
    private static List<Candidate> weighted(List<Candidate> candidates, Map<String, Integer> weights) {
        List<Candidate> left = new ArrayList<>(candidates);
        left.sort(Comparator.comparingInt(Candidate::priority));
        List<Candidate> order = new ArrayList<>(left.size());
        while (!left.isEmpty()) {
            long total = 0;
            for (Candidate c : left) {
                total += weight(c, weights);
            }
            long pick = ThreadLocalRandom.current().nextLong(total);
            int chosen = 0;
            for (int i = 0; i < left.size(); i++) {
                pick -= weight(left.get(i), weights);
                if (pick < 0) {
                    chosen = i;
                    break;
                }
            }
            order.add(left.remove(chosen));
        }
        return order;
    }

    private static long weight(Candidate candidate, Map<String, Integer> weights) {
        Integer set = weights.get(candidate.route().provider().name());
        return Math.max(1, set != null ? set : candidate.route().provider().totalWeight());
    }

    /** Estimated cost in USD: the prompt estimate and {@code max_tokens} at the model's prices (unpriced = free). */
    private static BigDecimal cost(ModelConfig model, long prompt, long completion) {
        BigDecimal in = model.costPer1kInput() == null ? BigDecimal.ZERO : model.costPer1kInput();
        BigDecimal out = model.costPer1kOutput() == null ? BigDecimal.ZERO : model.costPer1kOutput();
        return in.multiply(BigDecimal.valueOf(prompt)).add(out.multiply(BigDecimal.valueOf(completion)));
    }

    private long maxTokens(JsonNode body) {
        long cap = TokenEstimates.completionCap(body);
        return cap > 0 ? cap : assumedCompletionTokens;
    }

    private static List<ModelRoute> autoRoutes(RoutingTable table, Operation operation, List<String> allowed) {
        List<ModelRoute> routes = new ArrayList<>();
        for (ModelRoute route : table.allRoutes()) {
            String mode = route.model().mode() == null ? ModelConfig.CHAT : route.model().mode();
            if (mode.equals(mode(operation)) && (allowed == null || allowed.contains(route.model().id()))) {
                routes.add(route);
            }
        }
        return routes;
    }

    private static String mode(Operation operation) {
        return switch (operation) {
            case CHAT -> ModelConfig.CHAT;
            case COMPLETIONS -> ModelConfig.COMPLETION;
            case EMBEDDINGS -> ModelConfig.EMBEDDING;
        };
    }

    private static String endpointReasons(ProviderRuntime provider) {
        List<String> reasons = new ArrayList<>();
        for (int i = 0; i < provider.endpointCount(); i++) {
            reasons.add(provider.endpointLabel(i) + ": "
                    + provider.endpointState(i).unavailableReason(provider.exposeUpstreamDetails()));
        }
        return String.join(", ", reasons);
    }

    private static String label(ModelRoute route) {
        return "provider '" + route.provider().name() + "' (model " + route.model().id() + ")";
    }
}
