package io.visca.gateway.router.adapter.custom;

import java.util.Locale;
import java.util.Map;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.visca.gateway.contracts.provider.CustomRequestConfig;
import io.visca.gateway.contracts.provider.ProviderConfig;
import io.visca.gateway.contracts.provider.TransformConfig;
import io.visca.gateway.jq.BoundedJq;
import io.visca.gateway.jq.JqBoundExceeded;
import io.visca.gateway.providers.custom.CustomType;
import io.visca.gateway.router.adapter.ErrorBodies;
import io.visca.gateway.router.adapter.Json;
import io.visca.gateway.router.adapter.OpenAiResponses;
import io.visca.gateway.router.adapter.OpenAiStream;
import io.visca.gateway.router.adapter.Operation;
import io.visca.gateway.router.adapter.ProviderAdapter;
import io.visca.gateway.router.adapter.StreamMapper;
import io.visca.gateway.router.adapter.UpstreamCall;
import io.visca.gateway.router.adapter.UpstreamErrors;
import io.visca.gateway.router.adapter.UpstreamResponse;
import io.visca.gateway.router.auth.ProviderSecrets;
import io.visca.gateway.router.config.RouterConfig;
import io.visca.gateway.router.error.GatewayError;
import io.visca.gateway.router.upstream.UpstreamRequest;
import net.thisptr.jackson.jq.exception.JsonQueryException;

/**
 * {@code custom}: any HTTP model API, described by the provider config. Serves chat.
 * <p>
 * The request goes to {@code request.method} {@code request.path} (under the endpoint's base URL) with
 * {@code request.headers} ({@code ${NAME}} values resolved by {@link ProviderSecrets}) and the provider's
 * credentials; its body is the jq program {@code transform.request} applied to the client's OpenAI request (with
 * {@code model} set to the upstream model id; no body for {@code GET}). The jq program {@code transform.response}
 * maps the upstream's JSON answer to {@code {content, prompt_tokens, completion_tokens, finish_reason}}, which becomes
 * a {@code chat.completion} (missing token counts are estimated; a missing finish reason is {@code stop}, and common
 * spellings such as {@code max_tokens} or {@code eos} are mapped to OpenAI's). Both programs are compiled once per
 * snapshot in {@link #prepare} (jq 1.6 semantics, as the registry checks them) and only the first output is used.
 * Each run is bounded ({@link JqTransforms}, {@code router.jq.*}): a small budget on the event loop, then the full
 * one on a worker pool; a program that reaches a bound is a 502 {@code transform_bound_exceeded} naming it.
 * <p>
 * The upstream is never asked to stream: the adapter reads the whole answer (up to {@code router.max-response-bytes})
 * and applies the response transform in {@link #send} (so a failing transform is still a plain 502); for
 * {@code stream: true} the core feeds the result to the stream mapper, which sends it as one OpenAI stream.
 */
@Singleton
public class CustomAdapter implements ProviderAdapter {

    private static final Logger LOG = Logger.getLogger(CustomAdapter.class);

    private final ProviderSecrets secrets;
    private final JqTransforms jq;
    private final int maxResponseBytes;

    /** What {@link #prepare} makes of a custom provider's config. */
    public record Prepared(HttpMethod method, String path, Map<String, String> headers, BoundedJq request,
            BoundedJq response) {
    }

    @Inject
    CustomAdapter(ProviderSecrets secrets, JqTransforms jq, RouterConfig config) {
        this(secrets, jq, config.maxResponseBytes());
    }

    /** For the adapter unit tests: the transforms on the calling thread, with the default bounds. */
    public CustomAdapter(ProviderSecrets secrets) {
        this(secrets, JqTransforms.defaults(), 64 << 20);
    }

    CustomAdapter(ProviderSecrets secrets, JqTransforms jq, int maxResponseBytes) {
        this.secrets = secrets;
        this.jq = jq;
        this.maxResponseBytes = maxResponseBytes;
    }

    /** The response transform's result, checked. */
    record Answer(String content, long promptTokens, long completionTokens, String finishReason) {

        ObjectNode toJson() {
            return Json.object().put("content", content).put("prompt_tokens", promptTokens)
                    .put("completion_tokens", completionTokens).put("finish_reason", finishReason);
        }
    }

    @Override
    public String type() {
        return CustomType.NAME;
    }

    @Override
    public boolean supports(Operation operation) {
        return operation == Operation.CHAT;
    }

    @Override
    public Object prepare(ProviderConfig config) {
        CustomRequestConfig request = config.request();
        TransformConfig transform = config.transform();
        if (request == null || request.path() == null) {
            throw new IllegalArgumentException("a custom provider needs request.path (and request.method)");
        }
        if (transform == null || transform.response() == null || transform.response().isBlank()) {
            throw new IllegalArgumentException("a custom provider needs transform.response (a jq program)");
        }
        if (transform.language() != null && !"jq".equalsIgnoreCase(transform.language())) {
            throw new IllegalArgumentException("transform.language must be jq, not '" + transform.language() + "'");
        }
        HttpMethod method = HttpMethod.valueOf(
                request.method() == null || request.method().isBlank() ? "POST"
                        : request.method().trim().toUpperCase(Locale.ROOT));
        BoundedJq requestProgram = null;
        if (!HttpMethod.GET.equals(method)) {
            if (transform.request() == null || transform.request().isBlank()) {
                throw new IllegalArgumentException("a custom provider with request.method " + method.name()
                        + " needs transform.request (a jq program)");
            }
            requestProgram = compile("transform.request", transform.request());
        }
        return new Prepared(method, request.path(), request.headers(), requestProgram,
                compile("transform.response", transform.response()));
    }

    private static BoundedJq compile(String field, String program) {
        try {
            return BoundedJq.compile(program);
        } catch (JsonQueryException | RuntimeException e) {
            throw new IllegalArgumentException(field + " is not a valid jq program: " + BoundedJq.firstLine(e), e);
        }
    }

    @Override
    public Future<UpstreamResponse> send(UpstreamCall call) {
        Prepared prepared = call.provider().prepared();
        MultiMap headers;
        try {
            headers = headers(call, prepared);
        } catch (GatewayError e) {
            return Future.failedFuture(e);
        }
        Future<Buffer> body = prepared.request() == null ? Future.succeededFuture()
                : requestBody(call, prepared).map(Json::write);
        Future<UpstreamResponse> sent = body.compose(
                b -> call.send(new UpstreamRequest(prepared.method(), call.url(prepared.path()), headers, b)));
        // read the whole answer and map it now (a failure is still an HTTP error); a stream is sent later from it
        return sent.compose(response -> {
            if (!response.ok()) {
                return Future.succeededFuture(response);
            }
            return response.readBody(call, maxResponseBytes)
                    .compose(upstreamBody -> answer(call, prepared, upstreamBody).map(answer -> {
                        if (call.stream()) {
                            return UpstreamResponse.read(response.status(), response.headers(),
                                    Json.write(answer.toJson()));
                        }
                        call.mapped(answer);
                        return UpstreamResponse.read(response.status(), response.headers(), upstreamBody);
                    }));
        });
    }

    /** The request transform applied to the client's request (its {@code model} the upstream model id). */
    public Future<ObjectNode> requestBody(UpstreamCall call, Prepared prepared) {
        ObjectNode input = call.request();
        String upstreamModel = call.model().upstreamId();
        if (!upstreamModel.equals(input.path("model").asText())) {
            input = input.deepCopy();
            input.put("model", upstreamModel);
        }
        return run(call, prepared.request(), input, "request").map(body -> {
            if (!body.isObject()) {
                throw UpstreamErrors.malformed(call,
                        "the jq request transform did not produce an object (it gave " + kind(body) + ")");
            }
            return (ObjectNode) body;
        });
    }

    private MultiMap headers(UpstreamCall call, Prepared prepared) {
        MultiMap headers = call.jsonHeaders().set("accept", "application/json");
        if (prepared.request() == null) {
            headers.remove("content-type");
        }
        prepared.headers().forEach((name, value) -> headers.set(name,
                secrets.resolve(call.provider().name(), "request.headers." + name, value)));
        return headers;
    }

    /** The response transform applied to the upstream's JSON, checked. */
    Future<Answer> answer(UpstreamCall call, Prepared prepared, Buffer upstreamBody) {
        JsonNode upstream;
        try {
            upstream = Json.readUpstream(call, upstreamBody);
        } catch (GatewayError e) {
            return Future.failedFuture(e);
        }
        return run(call, prepared.response(), upstream, "response").map(out -> checked(call, out));
    }

    private static Answer checked(UpstreamCall call, JsonNode out) {
        if (!out.isObject()) {
            throw UpstreamErrors.malformed(call,
                    "the jq response transform did not produce an object (it gave " + kind(out) + ")");
        }
        JsonNode content = out.path("content");
        if (!content.isTextual() && !content.isNumber() && !content.isBoolean()) {
            throw UpstreamErrors.malformed(call, "the jq response transform gave no string content (it gave "
                    + kind(content) + ")");
        }
        return new Answer(content.asText(), tokens(out.path("prompt_tokens")),
                tokens(out.path("completion_tokens")), finishReason(out.path("finish_reason")));
    }

    /**
     * Runs a compiled program within the bounds; a runtime error or no output is a 502 naming the transform (jq's own
     * message is left out: it may quote the data), a bound is a 502 naming it.
     */
    private Future<JsonNode> run(UpstreamCall call, BoundedJq program, JsonNode input, String which) {
        return jq.first(program, input).transform(result -> {
            if (result.succeeded()) {
                return result.result() == null
                        ? Future.failedFuture(UpstreamErrors.transformFailed(call, which, "produced no output"))
                        : Future.succeededFuture(result.result());
            }
            Throwable failure = result.cause();
            if (failure instanceof JqBoundExceeded bound) {
                LOG.warnf("request %s: provider '%s': its jq %s transform %s", call.requestId(),
                        call.provider().name(), which, bound.getMessage());
                return Future.failedFuture(UpstreamErrors.transformBound(call, which, bound.getMessage()));
            }
            if (failure instanceof JqTransforms.Busy) {
                return Future.failedFuture(UpstreamErrors.transformBusy(call));
            }
            return Future.failedFuture(UpstreamErrors.transformFailed(call, which,
                    "failed " + (which.equals("request") ? "on this request" : "on the upstream's JSON")));
        });
    }

    private static String kind(JsonNode node) {
        return node == null || node.isMissingNode() ? "nothing" : node.getNodeType().name().toLowerCase(Locale.ROOT);
    }

    /** A token count: a number or a numeric string, else -1 (to be estimated). */
    static long tokens(JsonNode value) {
        if (value.isNumber()) {
            return Math.max(0, value.asLong());
        }
        if (value.isTextual()) {
            try {
                return Math.max(0, Long.parseLong(value.asText().trim()));
            } catch (NumberFormatException e) {
                return -1;
            }
        }
        return -1;
    }

    /** OpenAI's finish reason for common spellings; {@code stop} when none is given, else as given. */
    static String finishReason(JsonNode value) {
        String reason = value.isTextual() ? value.asText().trim() : "";
        return switch (reason.toLowerCase(Locale.ROOT)) {
            case "", "stop", "eos", "eos_token", "end_turn", "end", "stop_sequence", "complete", "completed",
                    "finished" ->
                "stop";
            case "length", "max_tokens", "max_length", "max_new_tokens", "max_output_tokens" -> "length";
            default -> reason;
        };
    }

    @Override
    public Buffer response(UpstreamCall call, Buffer upstreamBody) {
        Answer answer = call.mapped() instanceof Answer mapped ? mapped
                : now(answer(call, call.provider().prepared(), upstreamBody));
        fillUsage(call, answer);
        call.firstToken();
        return OpenAiResponses.chatCompletion(call, null, null, OpenAiResponses.assistantMessage(answer.content()),
                answer.finishReason());
    }

    private static void fillUsage(UpstreamCall call, Answer answer) {
        if (answer.promptTokens() >= 0) {
            call.usage().promptTokens = answer.promptTokens();
        }
        if (answer.completionTokens() >= 0) {
            call.usage().completionTokens = answer.completionTokens();
        }
    }

    @Override
    public StreamMapper stream(UpstreamCall call) {
        return new OneShotStream(call);
    }

    @Override
    public GatewayError error(UpstreamCall call, UpstreamResponse response, Buffer body) {
        return UpstreamErrors.fromStatus(call, response.status(), response.headers(),
                ErrorBodies.firstString(ErrorBodies.json(body), "/message", "/error", "/detail", "/error/message"),
                false);
    }

    /** A result {@link #send} did not map already (only when called directly): it must be complete. */
    private static Answer now(Future<Answer> answer) {
        if (!answer.isComplete()) {
            throw new IllegalStateException("the response transform needs the jq worker pool: map it in send()");
        }
        if (answer.failed()) {
            throw answer.cause() instanceof GatewayError e ? e : new IllegalStateException(answer.cause());
        }
        return answer.result();
    }

    /**
     * Sends an answer {@link #send} already mapped as one OpenAI stream when the upstream's body has ended: role,
     * content, finish reason, usage chunk if asked, {@code [DONE]}.
     */
    static final class OneShotStream implements StreamMapper {

        private final UpstreamCall call;
        private final Buffer body = Buffer.buffer();
        private boolean done;

        OneShotStream(UpstreamCall call) {
            this.call = call;
        }

        @Override
        public Buffer data(Buffer chunk) {
            body.appendBuffer(chunk);
            return Buffer.buffer();
        }

        @Override
        public Buffer end() {
            if (done) {
                return Buffer.buffer();
            }
            JsonNode mapped;
            try {
                mapped = Json.read(body);
            } catch (Exception e) {
                return Buffer.buffer();
            }
            if (mapped == null || !mapped.path("content").isTextual()) {
                return Buffer.buffer();
            }
            Answer answer = new Answer(mapped.path("content").asText(), mapped.path("prompt_tokens").asLong(-1),
                    mapped.path("completion_tokens").asLong(-1), mapped.path("finish_reason").asText("stop"));
            fillUsage(call, answer);
            OpenAiStream out = new OpenAiStream(call);
            out.start();
            out.content(answer.content());
            call.firstToken();
            out.end(answer.finishReason());
            done = true;
            return out.take();
        }

        @Override
        public boolean complete() {
            return done;
        }
    }
}
