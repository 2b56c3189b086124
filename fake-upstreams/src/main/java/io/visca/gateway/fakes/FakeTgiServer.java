package io.visca.gateway.fakes;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;

/**
 * A fake Hugging Face Text Generation Inference (TGI 2.x) server, in-process on a free loopback port:
 * {@code GET /health} (200 empty; 503 {@code healthcheck} error while failing), {@code GET /info},
 * {@code POST /generate} ({@code generated_text}, {@code details} only when asked, and TGI's
 * {@code x-prompt-tokens}/{@code x-generated-tokens} headers), {@code POST /generate_stream} (SSE
 * {@code data:{"index","token","generated_text":null,"details":null}} per token, the last one with
 * {@code generated_text} and, when asked, {@code details}), and {@code POST /} (the compat route: {@code stream}
 * picks either, the non-stream answer is a one-element array). As TGI does: a reply that ends on its own ends with
 * the special {@code </s>} token (counted in {@code generated_tokens}, not in the text), a stop sequence stays in the
 * text, {@code max_new_tokens} defaults to 100, validation errors are {@code {"error","error_type":"validation"}}
 * 422s (in a stream, an error event on a 200), and a set API key is checked with a bare 401.
 */
public final class FakeTgiServer extends FakeUpstream<FakeTgiServer> {

    private static final int EOS_ID = 2;

    private volatile int maxTotalTokens = 4096;
    private volatile StreamError streamError;

    private record StreamError(int afterTokens, String errorType, String message) {
    }

    private record Token(int id, String text, double logprob, boolean special) {

        /** A word's token: a deterministic id and logprob. */
        static Token of(String piece) {
            int id = Math.floorMod(piece.strip().hashCode(), 32_000) + 3;
            return new Token(id, piece, -0.01 - (id % 50) / 100.0, false);
        }

        ObjectNode node() {
            return JSON.createObjectNode().put("id", id).put("text", text).put("logprob", logprob)
                    .put("special", special);
        }
    }

    private FakeTgiServer() {
        super("mistralai/Mistral-7B-Instruct-v0.3");
    }

    /** Starts on a free loopback port with its own Vert.x instance. */
    public static FakeTgiServer start() {
        return start(0);
    }

    /** Starts on the given port (0 for a free one). */
    public static FakeTgiServer start(int port) {
        return new FakeTgiServer().listen(port);
    }

    /** TGI's {@code --max-total-tokens} (default 4096); {@code max_input_tokens} is one less. */
    public FakeTgiServer maxTotalTokens(int tokens) {
        this.maxTotalTokens = tokens;
        return this;
    }

    /**
     * A stream sends this many tokens and then TGI's in-stream error event
     * {@code data:{"error":message,"error_type":errorType}} (e.g. "generation", "incomplete_generation"), and ends.
     * A null type clears it.
     */
    public FakeTgiServer failStreamWith(int afterTokens, String errorType, String message) {
        this.streamError = errorType == null ? null : new StreamError(afterTokens, errorType, message);
        return this;
    }

    /** {@code http://127.0.0.1:PORT}: TGI's routes are at the root. */
    @Override
    public String baseUrl() {
        return root();
    }

    @Override
    protected boolean isProbe(String method, String path) {
        return "GET".equals(method) && ("/health".equals(path) || "/info".equals(path));
    }

    @Override
    protected void unauthorized(HttpServerResponse res, String header, String value) {
        res.setStatusCode(401).end();
    }

    @Override
    protected String defaultErrorBody(int status) {
        return switch (status) {
            case 422 -> errorBody("Input validation error", "validation");
            case 424 -> errorBody("Request failed during generation: Server error: CUDA out of memory",
                    "generation");
            case 429 -> errorBody("Model is overloaded", "overloaded");
            case 500 -> errorBody("Incomplete generation", "incomplete_generation");
            case 503 -> errorBody("unhealthy", "healthcheck");
            default -> errorBody(reason(status), "generation");
        };
    }

    @Override
    protected void badJson(HttpServerResponse res) {
        send(res, 400, "text/plain; charset=utf-8",
                "Failed to parse the request body as JSON: expected value at line 1 column 1");
    }

    @Override
    protected void route(HttpServerRequest req, String body) throws JsonProcessingException {
        HttpServerResponse res = req.response();
        switch (req.method().name() + " " + req.path()) {
            case "GET /health" -> {
                if (failing()) {
                    error(res, 503, errorBody("unhealthy", "healthcheck"));
                } else {
                    res.setStatusCode(200).end();
                }
            }
            case "GET /info" -> json(res, 200, info());
            case "POST /generate" -> generate(req, parse(body), false, false);
            case "POST /generate_stream" -> generate(req, parse(body), true, false);
            case "POST /" -> {
                JsonNode request = parse(body);
                generate(req, request, request.path("stream").asBoolean(false), true);
            }
            default -> res.setStatusCode(404).end();
        }
    }

    private ObjectNode info() {
        return JSON.createObjectNode().put("model_id", models().get(0))
                .put("model_sha", "0000000000000000000000000000000000000000")
                .put("model_pipeline_tag", "text-generation").put("max_concurrent_requests", 128)
                .put("max_best_of", 2).put("max_stop_sequences", 4).put("max_input_tokens", maxTotalTokens - 1)
                .put("max_total_tokens", maxTotalTokens).put("validation_workers", 2).put("max_client_batch_size", 4)
                .put("router", "text-generation-router").put("version", "2.4.1").putNull("sha")
                .putNull("docker_label");
    }

    private void generate(HttpServerRequest req, JsonNode request, boolean streaming, boolean compat) {
        HttpServerResponse res = req.response();
        if (!request.path("inputs").isTextual()) {
            send(res, 422, "text/plain; charset=utf-8",
                    "Failed to deserialize the JSON body into the target type: missing field `inputs` at line 1 "
                            + "column " + request.toString().length());
            return;
        }
        String inputs = request.path("inputs").asText();
        JsonNode params = request.path("parameters");
        long inputTokens = words(inputs);
        long maxNew = params.path("max_new_tokens").isNumber() ? params.path("max_new_tokens").asLong() : 100;
        String invalid = invalid(params, inputs, inputTokens, maxNew, streaming);
        if (invalid != null) {
            String error = errorBody("Input validation error: " + invalid, "validation");
            if (streaming) {
                stream(req, "text/event-stream").end(data(error));
            } else {
                error(res, 422, error);
            }
            return;
        }
        Generation gen = generate(maxNew, strings(params.path("stop")), true);
        String finish = switch (gen.finish()) {
            case STOP -> gen.tokens() < maxNew ? "eos_token" : "length";
            case LENGTH -> "length";
            case STOP_SEQUENCE -> "stop_sequence";
        };
        List<Token> tokens = new ArrayList<>();
        gen.pieces().forEach(piece -> tokens.add(Token.of(piece)));
        if ("eos_token".equals(finish)) {
            tokens.add(new Token(EOS_ID, "</s>", -0.01, true));
        }
        String text = params.path("return_full_text").asBoolean(false) ? inputs + gen.text() : gen.text();
        JsonNode seed = params.path("seed").isNumber() ? params.path("seed") : null;
        boolean details = params.path("details").asBoolean(false);
        res.putHeader("x-compute-type", "gpu+optimized").putHeader("x-compute-characters",
                String.valueOf(inputs.length()));
        if (streaming) {
            stream(req, tokens, text, details ? streamDetails(finish, tokens.size(), inputTokens, seed) : null);
            return;
        }
        ObjectNode out = JSON.createObjectNode().put("generated_text", text);
        if (details || params.path("decoder_input_details").asBoolean(false)) {
            ObjectNode d = streamDetails(finish, tokens.size(), inputTokens, seed);
            d.remove("input_length");
            ArrayNode prefill = d.putArray("prefill");
            if (params.path("decoder_input_details").asBoolean(false)) {
                for (String piece : pieces(inputs)) {
                    ObjectNode t = Token.of(piece).node();
                    t.remove("special");
                    prefill.add(prefill.isEmpty() ? t.putNull("logprob") : t);
                }
            }
            ArrayNode list = d.putArray("tokens");
            tokens.forEach(t -> list.add(t.node()));
            out.set("details", d);
        }
        for (String timing : new String[] { "x-compute-time", "x-total-time", "x-validation-time", "x-queue-time",
                "x-inference-time", "x-time-per-token" }) {
            res.putHeader(timing, "0");
        }
        res.putHeader("x-prompt-tokens", String.valueOf(inputTokens)).putHeader("x-generated-tokens",
                String.valueOf(tokens.size()));
        if (compat) {
            json(res, 200, JSON.createArrayNode().add(out));
        } else {
            json(res, 200, out);
        }
    }

    private void stream(HttpServerRequest req, List<Token> tokens, String text, ObjectNode details) {
        EventStream out = stream(req, "text/event-stream").header("x-accel-buffering", "no");
        StreamError failure = streamError;
        for (int i = 0; i < tokens.size(); i++) {
            if (failure != null && i >= failure.afterTokens()) {
                out.end(data(errorBody(failure.message(), failure.errorType())));
                return;
            }
            boolean last = i == tokens.size() - 1;
            ObjectNode event = JSON.createObjectNode().put("index", i + 1);
            event.set("token", tokens.get(i).node());
            if (last) {
                event.put("generated_text", text).set("details", details);
                out.end(data(event.toString()));
            } else {
                event.putNull("generated_text").putNull("details");
                out.send(data(event.toString()));
            }
        }
        if (tokens.isEmpty()) {
            out.end(data(errorBody("Incomplete generation stream", "incomplete_generation")));
        }
    }

    private static ObjectNode streamDetails(String finish, int generated, long inputTokens, JsonNode seed) {
        ObjectNode d = JSON.createObjectNode().put("finish_reason", finish).put("generated_tokens", generated)
                .put("input_length", inputTokens);
        return seed == null ? d.putNull("seed") : d.set("seed", seed);
    }

    /** What TGI's validation rejects, in its words (without the "Input validation error: " prefix); or null. */
    private String invalid(JsonNode params, String inputs, long inputTokens, long maxNew, boolean streaming) {
        JsonNode temperature = params.path("temperature");
        if (temperature.isNumber() && temperature.asDouble() <= 0) {
            return "`temperature` must be strictly positive";
        }
        if (maxNew <= 0) {
            return "`max_new_tokens` must be strictly positive";
        }
        if (params.path("stop").size() > 4) {
            return "`stop` supports up to 4 stop sequences. Given: " + params.path("stop").size();
        }
        if (streaming && params.path("decoder_input_details").asBoolean(false)) {
            return "`decoder_input_details` == true is not supported when streaming tokens";
        }
        if (inputs.isEmpty()) {
            return "`inputs` cannot be empty";
        }
        if (inputTokens >= maxTotalTokens) {
            return "`inputs` must have less than " + (maxTotalTokens - 1) + " tokens. Given: " + inputTokens;
        }
        if (inputTokens + maxNew > maxTotalTokens) {
            return "`inputs` tokens + `max_new_tokens` must be <= " + maxTotalTokens + ". Given: " + inputTokens
                    + " `inputs` tokens and " + maxNew + " `max_new_tokens`";
        }
        return null;
    }

    /** TGI's SSE framing: {@code data:} without a space. */
    private static String data(String json) {
        return "data:" + json + "\n\n";
    }

    private static String errorBody(String message, String type) {
        return JSON.createObjectNode().put("error", message).put("error_type", type).toString();
    }
}
