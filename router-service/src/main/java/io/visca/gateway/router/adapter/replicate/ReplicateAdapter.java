package io.visca.gateway.router.adapter.replicate;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.inject.Singleton;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.visca.gateway.providers.replicate.ReplicateType;
import io.visca.gateway.router.adapter.ErrorBodies;
import io.visca.gateway.router.adapter.Json;
import io.visca.gateway.router.adapter.OpenAiResponses;
import io.visca.gateway.router.adapter.OpenAiStream;
import io.visca.gateway.router.adapter.Operation;
import io.visca.gateway.router.adapter.ProviderAdapter;
import io.visca.gateway.router.adapter.StreamMapper;
import io.visca.gateway.router.adapter.TranslatingStream;
import io.visca.gateway.router.adapter.UpstreamCall;
import io.visca.gateway.router.adapter.UpstreamErrors;
import io.visca.gateway.router.adapter.UpstreamResponse;
import io.visca.gateway.router.config.RouterConfig;
import io.visca.gateway.router.error.GatewayError;
import io.visca.gateway.router.upstream.UpstreamRequest;

/**
 * {@code replicate}: Replicate's predictions API (base URL {@code https://api.replicate.com/v1}). Serves chat.
 * <p>
 * The upstream model {@code owner/name} runs the model's latest version ({@code POST /models/owner/name/predictions});
 * {@code owner/name:version} or a bare version id pins a version ({@code POST /predictions} with {@code version}).
 * Input: {@code prompt} is the conversation without its system messages (a lone user message as is, else
 * {@code User: …}/{@code Assistant: …} blocks ending with {@code Assistant:}); {@code system_prompt} the system
 * messages; {@code max_tokens} and {@code max_new_tokens} (models name it either way); {@code temperature};
 * {@code top_p}; {@code stop_sequences} comma-joined.
 * <p>
 * Non-streaming: the prediction is created with {@code Prefer: wait} (up to 60 s, within the total timeout); if it is
 * still starting or processing, {@code urls.get} is polled (250 ms, doubling to 2 s) until it succeeds, fails or is
 * canceled. Streaming: the prediction is created with {@code stream: true} and {@code urls.stream} is read as SSE
 * ({@code output}, {@code done}, {@code error} events). Usage comes from {@code metrics.input_token_count} and
 * {@code output_token_count}, else (and in streams) it is estimated.
 * <p>
 * The URLs a prediction hands back are followed only where they belong: {@code urls.get} (polled with the provider's
 * credentials) only on the endpoint's own origin (scheme, host and port); {@code urls.stream} on that origin (with the
 * credentials), or over {@code https} on one of {@code router.replicate.stream-hosts} (Replicate's stream hosts by
 * default), without any credentials, as Replicate's own clients fetch it. Anything else fails the attempt
 * ({@code upstream_foreign_url}) and nothing is sent there; every follow-up call also goes through the outbound URL
 * policy like any other.
 */
@Singleton
public class ReplicateAdapter implements ProviderAdapter {

    /** {@code owner/name} with an optional {@code :version}. */
    private static final Pattern MODEL = Pattern.compile("([\\w.-]+)/([\\w.-]+)(?::(\\w+))?");
    static final int MAX_WAIT_SECONDS = 60;

    /** {@code Prefer: wait} at most this many seconds ({@code router.replicate.max-wait}); Replicate's own most is 60. */
    private final int maxWaitSeconds;
    /** Where a prediction's follow-up URLs may go. */
    private final FollowUpUrls followUps;

    @jakarta.inject.Inject
    public ReplicateAdapter(io.visca.gateway.router.config.RouterConfig config) {
        this((int) Math.min(MAX_WAIT_SECONDS, Math.max(1, config.replicate().maxWait().toSeconds())),
                config.replicate().streamHosts());
    }

    public ReplicateAdapter() {
        this(MAX_WAIT_SECONDS, FollowUpUrls.REPLICATE_STREAM_HOSTS);
    }

    ReplicateAdapter(int maxWaitSeconds, List<String> streamHosts) {
        this.maxWaitSeconds = maxWaitSeconds;
        this.followUps = new FollowUpUrls(streamHosts);
    }

    static final long FIRST_POLL_MS = 250;
    static final long MAX_POLL_MS = 2_000;

    @Override
    public String type() {
        return ReplicateType.NAME;
    }

    @Override
    public boolean supports(Operation operation) {
        return operation == Operation.CHAT;
    }

    @Override
    public Future<UpstreamResponse> send(UpstreamCall call) {
        MultiMap headers = call.jsonHeaders().set("accept", "application/json");
        if (!call.stream()) {
            headers.set("prefer", "wait=" + waitSeconds(call));
        }
        UpstreamRequest create = new UpstreamRequest(HttpMethod.POST, call.url(createPath(call)), headers,
                Json.write(body(call)));
        return call.send(create).compose(created -> {
            if (!created.ok()) {
                return Future.succeededFuture(created);
            }
            return created.readBody().compose(prediction -> call.stream() ? openStream(call, prediction)
                    : settle(call, created.headers(), prediction, FIRST_POLL_MS));
        });
    }

    /** {@code /models/owner/name/predictions} for a model's latest version, else {@code /predictions}. */
    static String createPath(UpstreamCall call) {
        Matcher model = MODEL.matcher(call.model().upstreamId());
        return model.matches() && model.group(3) == null
                ? "/models/" + model.group(1) + "/" + model.group(2) + "/predictions"
                : "/predictions";
    }

    /** The create-prediction body: {@code version} when pinned, {@code input}, and {@code stream} for streams. */
    public static ObjectNode body(UpstreamCall call) {
        String upstreamModel = call.model().upstreamId();
        Matcher model = MODEL.matcher(upstreamModel);
        ObjectNode body = Json.object();
        if (!model.matches()) {
            body.put("version", upstreamModel);
        } else if (model.group(3) != null) {
            body.put("version", model.group(3));
        }
        body.set("input", input(call.request()));
        if (call.stream()) {
            body.put("stream", true);
        }
        return body;
    }

    static ObjectNode input(ObjectNode request) {
        StringBuilder system = new StringBuilder();
        StringBuilder conversation = new StringBuilder();
        int turns = 0;
        String lone = null;
        for (JsonNode message : request.path("messages")) {
            String role = message.path("role").asText();
            String text = Json.text(message.path("content"));
            if (text.isEmpty()) {
                continue;
            }
            if ("system".equals(role) || "developer".equals(role)) {
                system.append(system.length() > 0 ? "\n\n" : "").append(text);
                continue;
            }
            turns++;
            lone = "user".equals(role) ? text : null;
            conversation.append(conversation.length() > 0 ? "\n\n" : "").append(label(role)).append(": ")
                    .append(text);
        }
        ObjectNode input = Json.object();
        String prompt = turns == 0 ? ""
                : turns == 1 && lone != null ? lone : conversation.append("\n\nAssistant:").toString();
        input.put("prompt", prompt);
        if (system.length() > 0) {
            input.put("system_prompt", system.toString());
        }
        JsonNode maxTokens = request.hasNonNull("max_completion_tokens") ? request.get("max_completion_tokens")
                : request.get("max_tokens");
        if (maxTokens != null && maxTokens.isNumber()) {
            input.put("max_tokens", maxTokens.asLong()).put("max_new_tokens", maxTokens.asLong());
        }
        copyNumber(request, input, "temperature");
        copyNumber(request, input, "top_p");
        String stops = String.join(",", Json.strings(request.path("stop")));
        if (!stops.isEmpty()) {
            input.put("stop_sequences", stops);
        }
        return input;
    }

    private static String label(String role) {
        return switch (role) {
            case "assistant" -> "Assistant";
            case "tool", "function" -> "Tool";
            default -> "User";
        };
    }

    private static void copyNumber(JsonNode from, ObjectNode to, String field) {
        JsonNode value = from.get(field);
        if (value != null && value.isNumber()) {
            to.set(field, value);
        }
    }

    /** {@code Prefer: wait} seconds: Replicate's most, within the call's total timeout. */
    int waitSeconds(UpstreamCall call) {
        return (int) Math.max(1, Math.min(maxWaitSeconds, call.timeouts().totalMs() / 1000L));
    }

    /** The prediction once it is terminal: polls {@code urls.get} while it is starting or processing. */
    private Future<UpstreamResponse> settle(UpstreamCall call, MultiMap headers, Buffer body, long delayMs) {
        JsonNode prediction;
        try {
            prediction = Json.readUpstream(call, body);
        } catch (GatewayError e) {
            return Future.failedFuture(e);
        }
        String status = prediction.path("status").asText("");
        if ("succeeded".equals(status)) {
            return Future.succeededFuture(UpstreamResponse.read(200, headers, body));
        }
        if (isFailed(status)) {
            return Future.failedFuture(predictionFailed(call, prediction));
        }
        String url = prediction.path("urls").path("get").asText(null);
        if (url == null && prediction.path("id").isTextual()) {
            url = call.url("/predictions/" + prediction.path("id").asText());
        }
        if (url == null) {
            return Future.failedFuture(UpstreamErrors.malformed(call, "the prediction has no status and no URL"));
        }
        if (!FollowUpUrls.sameOrigin(url, call.endpoint().baseUrl())) {
            return Future.failedFuture(FollowUpUrls.foreign(call, "urls.get", url));
        }
        String pollUrl = url;
        return call.http().sleep(delayMs).compose(slept -> {
            if (call.aborted() != null) {
                return Future.failedFuture(call.aborted());
            }
            MultiMap pollHeaders = call.jsonHeaders();
            pollHeaders.remove("content-type");
            return call.send(new UpstreamRequest(HttpMethod.GET, pollUrl, pollHeaders, null)).compose(polled -> {
                if (!polled.ok()) {
                    return Future.succeededFuture(polled);
                }
                return polled.readBody().compose(
                        next -> settle(call, polled.headers(), next, Math.min(MAX_POLL_MS, delayMs * 2)));
            });
        });
    }

    /** Opens the created prediction's {@code urls.stream}: the live SSE response. */
    private Future<UpstreamResponse> openStream(UpstreamCall call, Buffer body) {
        JsonNode prediction;
        try {
            prediction = Json.readUpstream(call, body);
        } catch (GatewayError e) {
            return Future.failedFuture(e);
        }
        if (isFailed(prediction.path("status").asText(""))) {
            return Future.failedFuture(predictionFailed(call, prediction));
        }
        String url = prediction.path("urls").path("stream").asText(null);
        if (url == null) {
            return Future.failedFuture(UpstreamErrors.malformed(call,
                    "the prediction has no stream URL (the model may not support streaming)"));
        }
        MultiMap headers;
        if (FollowUpUrls.sameOrigin(url, call.endpoint().baseUrl())) {
            headers = call.jsonHeaders();
            headers.remove("content-type");
        } else if (followUps.isStreamHost(url)) {
            // a capability URL on Replicate's stream host: the provider's credentials stay with the provider
            headers = MultiMap.caseInsensitiveMultiMap().set("x-request-id", call.requestId());
        } else {
            return Future.failedFuture(FollowUpUrls.foreign(call, "urls.stream", url));
        }
        headers.set("accept", "text/event-stream").set("cache-control", "no-store");
        return call.send(new UpstreamRequest(HttpMethod.GET, url, headers, null));
    }

    private static boolean isFailed(String status) {
        return "failed".equals(status) || "canceled".equals(status) || "aborted".equals(status);
    }

    /** A prediction that failed or was canceled: 502, with Replicate's {@code error}. */
    static GatewayError predictionFailed(UpstreamCall call, JsonNode prediction) {
        String status = prediction.path("status").asText("failed");
        JsonNode error = prediction.path("error");
        String detail = error.isTextual() ? error.asText()
                : error.isObject() ? error.path("detail").asText(error.toString()) : null;
        String message = "failed".equals(status) ? "the prediction failed" : "the prediction was " + status;
        return UpstreamErrors.failed(call, message, detail);
    }

    @Override
    public Buffer response(UpstreamCall call, Buffer upstreamBody) {
        JsonNode prediction = Json.readUpstream(call, upstreamBody);
        if (isFailed(prediction.path("status").asText(""))) {
            throw predictionFailed(call, prediction);
        }
        String text = output(prediction.path("output"));
        JsonNode metrics = prediction.path("metrics");
        if (metrics.path("input_token_count").isNumber()) {
            call.usage().promptTokens = metrics.path("input_token_count").asLong();
        }
        if (metrics.path("output_token_count").isNumber()) {
            call.usage().completionTokens = metrics.path("output_token_count").asLong();
        }
        call.firstToken();
        return OpenAiResponses.chatCompletion(call, null, null, OpenAiResponses.assistantMessage(text), "stop");
    }

    /** A language model's output: an array of string tokens joined, or one string. */
    static String output(JsonNode output) {
        if (output.isTextual()) {
            return output.asText();
        }
        if (output.isArray()) {
            StringBuilder text = new StringBuilder();
            output.forEach(token -> text.append(token.isTextual() ? token.asText() : token.toString()));
            return text.toString();
        }
        return output.isMissingNode() || output.isNull() ? "" : output.toString();
    }

    @Override
    public StreamMapper stream(UpstreamCall call) {
        return new ReplicateStream(call);
    }

    @Override
    public GatewayError error(UpstreamCall call, UpstreamResponse response, Buffer body) {
        return UpstreamErrors.fromStatus(call, response.status(), response.headers(),
                message(ErrorBodies.json(body)), false);
    }

    /** The {@code detail} (else {@code title}) of Replicate's problem JSON, else an OpenAI-style message. */
    static String message(JsonNode json) {
        if (json.hasNonNull("detail")) {
            return json.path("detail").asText();
        }
        if (json.hasNonNull("title")) {
            return json.path("title").asText();
        }
        return ErrorBodies.openAiMessage(json);
    }

    /**
     * Maps a prediction's SSE stream: {@code output} data is content, {@code done} ends the stream (unless its reason
     * says canceled or error), {@code error} fails it; other events (logs) are skipped.
     */
    static final class ReplicateStream extends TranslatingStream<OpenAiStream> {

        ReplicateStream(UpstreamCall call) {
            super(call, new OpenAiStream(call), Framing.SSE);
        }

        @Override
        protected void event(String name, String data) {
            if (done || name == null) {
                return;
            }
            switch (name) {
                case "output" -> out.content(data);
                case "done" -> {
                    done = true;
                    String reason = field(data, "reason");
                    if ("canceled".equals(reason) || "error".equals(reason) || "failed".equals(reason)) {
                        out.fail(UpstreamErrors.failed(call, "the prediction ended: " + reason, null));
                    } else {
                        out.end("stop");
                    }
                }
                case "error" -> {
                    done = true;
                    String detail = field(data, "detail");
                    if (detail == null && !data.isBlank() && !data.startsWith("{")) {
                        detail = data;
                    }
                    out.fail(UpstreamErrors.failed(call, "the prediction failed", detail));
                }
                default -> {
                    // logs and other events are not part of the answer
                }
            }
        }

        private static String field(String data, String name) {
            try {
                JsonNode json = Json.read(data);
                return json.hasNonNull(name) ? json.path(name).asText() : null;
            } catch (Exception e) {
                return null;
            }
        }
    }
}
