package io.visca.gateway.fakes;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;

/**
 * A fake of Replicate's predictions API for language models, in-process on a free loopback port:
 * {@code POST /v1/models/{owner}/{name}/predictions}, {@code POST /v1/deployments/{owner}/{name}/predictions},
 * {@code POST /v1/predictions} ({@code version}: a version id, or {@code owner/name:version}), all answering 201 with
 * the prediction and a {@code Location}; {@code Prefer: wait} / {@code Prefer: wait=N} holds the request up to N
 * seconds (default 60) for the prediction to finish, otherwise it comes back {@code starting} and is polled at
 * {@code urls.get} ({@code GET /v1/predictions/{id}}: {@code starting}, {@code processing} with partial output, then
 * {@code succeeded} with {@code output} as an array of tokens, {@code metrics} and {@code completed_at}, or
 * {@code failed} with {@code error}); {@code urls.cancel}; {@code urls.stream} ({@code GET /v1/stream/{id}}, served by
 * this fake): SSE {@code event: output} per token as it is produced, then {@code event: done} (after an
 * {@code event: error} on failure). How long a prediction takes is {@link #processingTime(long)}. Errors are
 * Replicate's problem JSON {@code {"title","detail","status"}}; the key is a bearer token.
 */
public final class FakeReplicateServer extends FakeUpstream<FakeReplicateServer> {

    /** The version id the fake's models have. */
    public static final String VERSION = "5a6809ca6288247d06daf6365557e5e429063f32a21146b2a807c682652136b8";

    private final Map<String, Prediction> predictions = new ConcurrentHashMap<>();
    private volatile long processingMs;
    private volatile String predictionError;
    private volatile String followUpBase;

    private FakeReplicateServer() {
        super("meta/meta-llama-3-8b-instruct");
    }

    /** Starts on a free loopback port with its own Vert.x instance. */
    public static FakeReplicateServer start() {
        return start(0);
    }

    /** Starts on the given port (0 for a free one). */
    public static FakeReplicateServer start(int port) {
        return new FakeReplicateServer().listen(port);
    }

    /**
     * How long a prediction takes from creation to completion (default 0): its first fifth is {@code starting}, the
     * rest {@code processing}, with the tokens produced evenly over it.
     */
    public FakeReplicateServer processingTime(long millis) {
        this.processingMs = millis;
        return this;
    }

    /** Predictions created from now on end {@code failed} with this error (null: they succeed). */
    public FakeReplicateServer failPrediction(String error) {
        this.predictionError = error;
        return this;
    }

    /**
     * Predictions name their {@code urls} (get, cancel, stream) under this base instead of this fake's own (null: its
     * own), as a misbehaving or hostile upstream might: a client must not follow them elsewhere.
     */
    public FakeReplicateServer followUpUrlsAt(String base) {
        this.followUpBase = base;
        return this;
    }

    /** {@code http://127.0.0.1:PORT/v1}, as Replicate's API base. */
    @Override
    public String baseUrl() {
        return root() + "/v1";
    }

    /** The stream URL is a capability URL: no key needed, and {@link #failWith} does not apply. */
    @Override
    protected boolean isProbe(String method, String path) {
        return "GET".equals(method) && path.startsWith("/v1/stream/");
    }

    /** {@link #failWith} applies to creating predictions. */
    @Override
    protected boolean failureApplies(String method, String path) {
        return "POST".equals(method) && path.endsWith("/predictions");
    }

    @Override
    protected void unauthorized(HttpServerResponse res, String header, String value) {
        error(res, 401, problem("Unauthenticated", value == null ? "You did not pass an authentication token"
                : "You did not pass a valid authentication token", 401));
    }

    @Override
    protected String defaultErrorBody(int status) {
        return switch (status) {
            case 402 -> problem("Monthly spend limit reached",
                    "You have reached your monthly spend limit. Raise it to create more predictions.", 402);
            case 404 -> problem("Not found", "The requested resource could not be found.", 404);
            case 422 -> problem("Input validation failed", "- input: prompt is required", 422);
            case 429 -> problem("Request was throttled.", "Request was throttled. Expected available in 1 second.",
                    429);
            default -> problem(reason(status), "Something went wrong. Please try again.", status);
        };
    }

    @Override
    protected String errorContentType() {
        return "application/problem+json";
    }

    @Override
    protected void badJson(HttpServerResponse res) {
        error(res, 400, problem("Invalid JSON", "The request body could not be parsed as JSON.", 400));
    }

    @Override
    protected void route(HttpServerRequest req, String body) throws JsonProcessingException {
        HttpServerResponse res = req.response();
        String method = req.method().name();
        String[] p = req.path().substring(1).split("/");
        String owner = p.length > 3 ? p[2] + "/" + p[3] : null;
        if ("POST".equals(method) && req.path().equals("/v1/predictions")) {
            create(req, parse(body), null);
        } else if ("POST".equals(method) && p.length == 5 && ("models".equals(p[1]) || "deployments".equals(p[1]))
                && "predictions".equals(p[4])) {
            create(req, parse(body), owner);
        } else if ("GET".equals(method) && p.length == 3 && "predictions".equals(p[1])) {
            withPrediction(res, p[2], prediction -> json(res, 200, prediction.json(now())));
        } else if ("POST".equals(method) && p.length == 4 && "predictions".equals(p[1]) && "cancel".equals(p[3])) {
            withPrediction(res, p[2], prediction -> {
                prediction.cancel(now());
                json(res, 200, prediction.json(now()));
            });
        } else if ("GET".equals(method) && p.length == 3 && "stream".equals(p[1])) {
            withPrediction(res, p[2], prediction -> emit(stream(req, "text/event-stream"), prediction, 0));
        } else if ("GET".equals(method) && p.length == 4 && "models".equals(p[1]) && models().contains(owner)) {
            json(res, 200, modelNode(p[2], p[3]));
        } else if ("GET".equals(method) && req.path().equals("/v1/account")) {
            json(res, 200, JSON.createObjectNode().put("type", "user").put("username", "fake").put("name", "Fake")
                    .putNull("github_url"));
        } else {
            error(res, 404, problem("Not found", "The requested resource could not be found.", 404));
        }
    }

    private void withPrediction(HttpServerResponse res, String id, Consumer<Prediction> action) {
        Prediction prediction = predictions.get(id);
        if (prediction == null) {
            error(res, 404, problem("Not found", "The requested prediction could not be found.", 404));
        } else {
            action.accept(prediction);
        }
    }

    private void create(HttpServerRequest req, JsonNode request, String modelPath) {
        HttpServerResponse res = req.response();
        String model = modelPath;
        if (model != null && !models().contains(model)) {
            error(res, 404, problem("Not found", "The requested model could not be found.", 404));
            return;
        }
        if (model == null) {
            String version = request.path("version").asText("");
            model = version.contains("/") ? version.split(":")[0] : models().get(0);
            if (version.isEmpty() || !models().contains(model)) {
                error(res, 422, problem("Invalid version or not permitted",
                        "The specified version does not exist (or perhaps you don't have permission to use it?)",
                        422));
                return;
            }
        }
        JsonNode input = request.path("input");
        String missing = !input.isObject() ? "input" : !input.path("prompt").isTextual() ? "prompt" : null;
        if (missing != null) {
            ObjectNode problem = problemNode("Input validation failed",
                    "input".equals(missing) ? "- input is required" : "- input: prompt is required", 422);
            problem.putArray("invalid_fields").addObject().put("type", "required").put("field", "input")
                    .put("description", missing + " is required");
            error(res, 422, problem.toString());
            return;
        }
        JsonNode max = input.has("max_tokens") ? input.path("max_tokens") : input.path("max_new_tokens");
        JsonNode stop = input.path("stop_sequences");
        List<String> stops = stop.isTextual() ? List.of(stop.asText().split(",")) : strings(stop);
        long now = now();
        long ms = processingMs;
        String id = String.format("fk%024d", nextId());
        Prediction prediction = new Prediction(id, model, input, generate(max.asLong(0), stops, false),
                words(input.path("prompt").asText()) + words(input.path("system_prompt").asText("")), now,
                now + ms / 5, now + ms, predictionError);
        predictions.put(id, prediction);
        res.putHeader("location", baseUrl() + "/predictions/" + id);
        Long wait = waitMillis(req.getHeader("prefer"));
        if (wait == null) {
            json(res, 201, prediction.json(now - 1)); // as created: starting
        } else if (Math.min(wait, prediction.done - now) <= 0) {
            json(res, 201, prediction.json(now));
        } else {
            vertx().setTimer(Math.min(wait, prediction.done - now), t -> json(res, 201, prediction.json(now())));
        }
    }

    /** {@code Prefer: wait} (60 s) or {@code wait=N} (1..60 s), in milliseconds; null without it. */
    private static Long waitMillis(String prefer) {
        if (prefer == null || !prefer.trim().startsWith("wait")) {
            return null;
        }
        String[] parts = prefer.trim().split("=", 2);
        long seconds = 60;
        if (parts.length == 2) {
            try {
                seconds = Math.max(1, Math.min(60, Long.parseLong(parts[1].trim())));
            } catch (NumberFormatException e) {
                seconds = 60;
            }
        }
        return seconds * 1000;
    }

    /** Sends the tokens produced so far, then waits for the next one, until the prediction ends. */
    private void emit(EventStream out, Prediction p, int next) {
        if (!out.open()) {
            return;
        }
        long now = now();
        int produced = p.produced(now);
        int i = next;
        for (; i < produced; i++) {
            out.send(event("output", p.eventId(i), p.gen.pieces().get(i)));
        }
        switch (p.status(now)) {
            case "succeeded" -> out.end(event("done", p.eventId(i), "{}"));
            case "canceled" -> out.end(event("done", p.eventId(i), "{\"reason\":\"canceled\"}"));
            case "failed" -> {
                out.send(event("error", p.eventId(i),
                        JSON.createObjectNode().put("detail", p.error).toString()));
                out.end(event("done", p.eventId(i + 1), "{\"reason\":\"error\"}"));
            }
            default -> {
                int from = i;
                long wake = p.error == null && i < p.gen.pieces().size() ? p.due(i) : p.done;
                vertx().setTimer(Math.max(1, wake - now), t -> emit(out, p, from));
            }
        }
    }

    /** An SSE event with an id; a multi-line text goes in several {@code data:} lines. */
    private static String event(String name, String id, String data) {
        StringBuilder out = new StringBuilder("event: ").append(name).append("\nid: ").append(id).append('\n');
        for (String line : data.split("\n", -1)) {
            out.append("data: ").append(line).append('\n');
        }
        return out.append('\n').toString();
    }

    private static long now() {
        return System.currentTimeMillis();
    }

    private ObjectNode modelNode(String owner, String name) {
        ObjectNode model = JSON.createObjectNode().put("url", "https://replicate.com/" + owner + "/" + name)
                .put("owner", owner).put("name", name).put("description", "A fake language model")
                .put("visibility", "public").putNull("github_url").putNull("paper_url").putNull("license_url")
                .put("run_count", predictions.size()).putNull("cover_image_url").putNull("default_example");
        model.putObject("latest_version").put("id", VERSION).put("created_at", "2025-01-01T00:00:00.000000Z")
                .put("cog_version", "0.9.0").putObject("openapi_schema");
        return model;
    }

    private static ObjectNode problemNode(String title, String detail, int status) {
        return JSON.createObjectNode().put("title", title).put("detail", detail).put("status", status);
    }

    private static String problem(String title, String detail, int status) {
        return problemNode(title, detail, status).toString();
    }

    /** One prediction; its state follows from the clock. */
    private final class Prediction {
        final String id;
        final String model;
        final JsonNode input;
        final Generation gen;
        final long inputTokens;
        final long created;
        final long started;
        final long done;
        final String error;
        volatile long canceled = -1;

        Prediction(String id, String model, JsonNode input, Generation gen, long inputTokens, long created,
                long started, long done, String error) {
            this.id = id;
            this.model = model;
            this.input = input;
            this.gen = gen;
            this.inputTokens = inputTokens;
            this.created = created;
            this.started = started;
            this.done = done;
            this.error = error;
        }

        void cancel(long now) {
            if (canceled < 0 && now < done) {
                canceled = now;
            }
        }

        String status(long now) {
            if (canceled >= 0) {
                return "canceled";
            }
            if (now >= done) {
                return error != null ? "failed" : "succeeded";
            }
            return now >= started ? "processing" : "starting";
        }

        /** When token i is out. */
        long due(int i) {
            return started + (done - started) * (i + 1) / gen.pieces().size();
        }

        /** How many tokens are out at this time. */
        int produced(long now) {
            if (error != null) {
                return 0;
            }
            long at = canceled >= 0 ? Math.min(now, canceled) : now;
            int n = 0;
            while (n < gen.pieces().size() && (at >= done || due(n) <= at)) {
                n++;
            }
            return n;
        }

        String eventId(int i) {
            return created / 1000 + ":" + i;
        }

        ObjectNode json(long now) {
            String status = status(now);
            boolean terminal = !"starting".equals(status) && !"processing".equals(status);
            ObjectNode out = JSON.createObjectNode().put("id", id).put("model", model).put("version", VERSION);
            out.set("input", input);
            out.put("logs", "failed".equals(status) ? "Traceback (most recent call last):\n" + error : "");
            int produced = produced(now);
            if (produced > 0) {
                ArrayNode output = out.putArray("output");
                gen.pieces().subList(0, produced).forEach(output::add);
            } else {
                out.putNull("output");
            }
            out.put("data_removed", false).put("error", "failed".equals(status) ? error : null).put("status", status)
                    .put("source", "api").put("created_at", Instant.ofEpochMilli(created).toString())
                    .put("started_at", "starting".equals(status) ? null : Instant.ofEpochMilli(started).toString())
                    .put("completed_at", terminal ? Instant.ofEpochMilli(canceled >= 0 ? canceled : done).toString()
                            : null);
            String base = followUpBase == null ? baseUrl() : followUpBase;
            String get = base + "/predictions/" + id;
            out.putObject("urls").put("get", get).put("cancel", get + "/cancel").put("stream",
                    base + "/stream/" + id);
            ObjectNode metrics = out.putObject("metrics");
            if ("succeeded".equals(status)) {
                metrics.put("input_token_count", inputTokens).put("output_token_count", gen.tokens())
                        .put("predict_time", (done - started) / 1000.0).put("total_time", (done - created) / 1000.0);
            }
            return out;
        }
    }
}
