package io.visca.gateway.registry.dashboard.rest;

import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import jakarta.annotation.PreDestroy;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.RestStreamElementType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.RequestOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.core.http.HttpClient;
import io.vertx.mutiny.core.http.HttpClientResponse;
import io.visca.gateway.contracts.provider.ModelConfig;
import io.visca.gateway.contracts.provider.ProviderConfig;
import io.visca.gateway.contracts.routing.RoutingPolicy;
import io.visca.gateway.registry.config.RegistryConfig;
import io.visca.gateway.registry.dashboard.client.PlaygroundKey;
import io.visca.gateway.registry.dashboard.session.Dashboard;
import io.visca.gateway.registry.dashboard.session.DashboardPages;
import io.visca.gateway.registry.provider.service.ProviderService;

/**
 * The playground: the registry sends the chat to the router's {@code /v1/chat/completions} itself (streaming, with
 * a key of its own, see {@link PlaygroundKey}) and passes the answer on to the browser as server-sent events:
 * {@code meta} (status and the router's {@code x-visca-*} headers), {@code delta} (text), then {@code done}
 * (usage, latency, cost computed from the served model's prices) or {@code failure}.
 */
@Path("/playground")
@Dashboard
@Produces(MediaType.TEXT_HTML)
public class PlaygroundPage {

    private static final Logger LOG = Logger.getLogger(PlaygroundPage.class);
    private static final int MAX_PROMPT = 20_000;

    private final ProviderService providers;
    private final PlaygroundKey key;
    private final DashboardPages pages;
    private final ObjectMapper json;
    private final Template page;
    private final HttpClient client;
    private final java.net.URI router;

    PlaygroundPage(ProviderService providers, PlaygroundKey key, DashboardPages pages, ObjectMapper json,
            RegistryConfig config, Vertx vertx, @Location("dashboard/playground.html") Template page) {
        this.providers = providers;
        this.key = key;
        this.pages = pages;
        this.json = json;
        this.page = page;
        this.router = java.net.URI.create(config.routerUrl());
        this.client = vertx.createHttpClient(new HttpClientOptions().setConnectTimeout(5_000)
                .setIdleTimeout(120).setMaxPoolSize(8));
    }

    @PreDestroy
    void close() {
        client.closeAndAwait();
    }

    @GET
    public Uni<String> show(HttpServerRequest request) {
        return providers.list().map(all -> {
            TreeSet<String> models = new TreeSet<>();
            all.stream().filter(ProviderConfig::enabled).forEach(p -> p.models().stream()
                    .filter(m -> ModelConfig.CHAT.equals(m.mode())).map(ModelConfig::id).forEach(models::add));
            List<String> choices = new ArrayList<>();
            choices.add(RoutingPolicy.AUTO);
            choices.addAll(models);
            return pages.page(page.data("models", choices).data("strategies", RoutingPolicy.STRATEGIES),
                    "playground", request).render();
        });
    }

    @POST
    @Path("/chat")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RestStreamElementType(MediaType.APPLICATION_JSON)
    public Multi<Map<String, Object>> chat(@RestForm String model, @RestForm String strategy, @RestForm String prompt,
            @RestForm String csrf, HttpServerRequest request) {
        pages.requireCsrf(request, csrf);
        if (model == null || model.isBlank() || prompt == null || prompt.isBlank() || prompt.length() > MAX_PROMPT
                || (strategy != null && !strategy.isBlank() && !RoutingPolicy.STRATEGIES.contains(strategy))) {
            return Multi.createFrom().item(event("failure", Map.of("message", "choose a model and a known strategy, "
                    + "and write a prompt of at most " + MAX_PROMPT + " characters")));
        }
        ObjectNode body = json.createObjectNode();
        body.put("model", model);
        body.putArray("messages").addObject().put("role", "user").put("content", prompt);
        body.put("stream", true);
        body.putObject("stream_options").put("include_usage", true);
        if (strategy != null && !strategy.isBlank()) {
            body.putObject("routing").put("strategy", strategy);
        }
        long started = System.nanoTime();
        return providers.list().chain(all -> key.get().map(k -> Map.entry(all, k)))
                .onItem().transformToMulti(ctx -> send(ctx.getValue(), body).onItem().transformToMulti(response -> {
                    Map<String, Object> meta = new LinkedHashMap<>();
                    meta.put("status", response.statusCode());
                    Map<String, String> headers = new LinkedHashMap<>();
                    response.headers().forEach(h -> {
                        if (h.getKey().toLowerCase().startsWith("x-visca-")) {
                            headers.put(h.getKey().toLowerCase(), h.getValue());
                        }
                    });
                    meta.put("headers", headers);
                    StreamState state = new StreamState(ctx.getKey(), headers, started);
                    if (response.statusCode() != 200) {
                        Uni<Void> checked = response.statusCode() == 401 ? key.rejected(ctx.getValue())
                                : Uni.createFrom().voidItem();
                        return response.body().call(() -> checked).onItem().transformToMulti(error -> Multi
                                .createFrom().items(event("meta", meta), event("failure", Map.of("message",
                                        errorMessage(response.statusCode(), error.toString())))));
                    }
                    Multi<Map<String, Object>> deltas = response.toMulti()
                            .onItem().transformToIterable(state::feed);
                    return Multi.createBy().concatenating().streams(Multi.createFrom().item(event("meta", meta)),
                            deltas, Multi.createFrom().item(() -> event("done", state.done())));
                }))
                .onFailure().recoverWithItem(e -> {
                    LOG.warnf("playground: the router at %s could not be called: %s", router, e.getClass()
                            .getSimpleName());
                    return event("failure", Map.of("message", "the router could not be reached (" + router
                            + "): " + e.getClass().getSimpleName()));
                });
    }

    private Uni<HttpClientResponse> send(String apiKey, ObjectNode body) {
        int port = router.getPort() > 0 ? router.getPort() : ("https".equals(router.getScheme()) ? 443 : 80);
        String path = (router.getPath() == null ? "" : router.getPath().replaceAll("/$", "")) + "/v1/chat/completions";
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setHost(router.getHost())
                .setPort(port).setSsl("https".equals(router.getScheme())).setURI(path)
                .setTimeout(Duration.ofMinutes(2).toMillis())
                .putHeader("Authorization", "Bearer " + apiKey).putHeader("Content-Type", "application/json")
                .putHeader("Accept", "text/event-stream");
        return client.request(options).chain(request -> request.send(Buffer.buffer(body.toString())));
    }

    private static String errorMessage(int status, String body) {
        String detail = "";
        try {
            JsonNode error = new ObjectMapper().readTree(body).path("error").path("message");
            detail = error.isTextual() ? error.asText() : "";
        } catch (Exception ignored) {
            // not JSON: the status says enough
        }
        String hint = status == 401 ? " (a new playground key may take a few seconds to reach the router; send "
                + "again)" : "";
        return "the router answered HTTP " + status + (detail.isEmpty() ? "" : ": " + detail) + hint;
    }

    private static Map<String, Object> event(String type, Map<String, ?> data) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("type", type);
        event.putAll(data);
        return event;
    }

    /** Reads the router's SSE stream chunk by chunk: text deltas out, usage and the served model kept. */
    private final class StreamState {

        private final List<ProviderConfig> providers;
        private final Map<String, String> headers;
        private final long started;
        private final StringBuilder pending = new StringBuilder();
        private JsonNode usage;
        private String servedModel;
        private Long firstTokenMs;

        StreamState(List<ProviderConfig> providers, Map<String, String> headers, long started) {
            this.providers = providers;
            this.headers = headers;
            this.started = started;
        }

        List<Map<String, Object>> feed(Buffer chunk) {
            pending.append(chunk.toString());
            List<Map<String, Object>> out = new ArrayList<>();
            int end;
            while ((end = pending.indexOf("\n")) >= 0) {
                String line = pending.substring(0, end).trim();
                pending.delete(0, end + 1);
                if (!line.startsWith("data:")) {
                    continue;
                }
                String data = line.substring(5).trim();
                if (data.equals("[DONE]") || data.isEmpty()) {
                    continue;
                }
                try {
                    JsonNode node = json.readTree(data);
                    if (node.has("error")) {
                        out.add(event("failure", Map.of("message", node.path("error").path("message").asText(
                                "the stream ended with an error"))));
                        continue;
                    }
                    if (node.hasNonNull("model")) {
                        servedModel = node.get("model").asText();
                    }
                    if (node.hasNonNull("usage")) {
                        usage = node.get("usage");
                    }
                    String text = node.path("choices").path(0).path("delta").path("content").asText("");
                    if (!text.isEmpty()) {
                        if (firstTokenMs == null) {
                            firstTokenMs = (System.nanoTime() - started) / 1_000_000;
                        }
                        out.add(event("delta", Map.of("text", text)));
                    }
                } catch (Exception e) {
                    LOG.debugf("playground: an SSE line that is not JSON was skipped");
                }
            }
            return out;
        }

        Map<String, Object> done() {
            Map<String, Object> done = new LinkedHashMap<>();
            done.put("latency_ms", (System.nanoTime() - started) / 1_000_000);
            done.put("ttft_ms", firstTokenMs);
            done.put("provider", headers.get("x-visca-provider"));
            done.put("endpoint", headers.get("x-visca-endpoint"));
            done.put("attempts", headers.get("x-visca-attempts"));
            done.put("model", servedModel);
            if (usage != null) {
                done.put("prompt_tokens", usage.path("prompt_tokens").asLong());
                done.put("completion_tokens", usage.path("completion_tokens").asLong());
            }
            BigDecimal cost = cost();
            done.put("cost_usd", cost == null ? null : cost.stripTrailingZeros().toPlainString());
            return done;
        }

        /** prompt x input price + completion x output price, / 1000, from the served provider's model. */
        private BigDecimal cost() {
            String provider = headers.get("x-visca-provider");
            if (usage == null || provider == null) {
                return null;
            }
            String requested = headers.get("x-visca-model");
            for (ProviderConfig config : providers) {
                if (!config.name().equals(provider)) {
                    continue;
                }
                for (ModelConfig model : config.models()) {
                    boolean match = model.id().equals(requested) || model.id().equals(servedModel)
                            || model.upstreamId().equals(servedModel);
                    if (match && model.costPer1kInput() != null && model.costPer1kOutput() != null) {
                        return model.costPer1kInput().multiply(BigDecimal.valueOf(usage.path("prompt_tokens")
                                .asLong())).add(model.costPer1kOutput().multiply(BigDecimal.valueOf(
                                        usage
                                                .path("completion_tokens").asLong())))
                                .divide(BigDecimal.valueOf(1000), MathContext.DECIMAL128);
                    }
                }
            }
            return null;
        }
    }
}
