package io.visca.gateway.router.adapter;

import java.util.HashMap;
import java.util.Map;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.visca.gateway.contracts.provider.ProviderTypes;
import io.visca.gateway.router.config.RouterConfig;
import io.visca.gateway.router.proxy.GatewayError;

/**
 * {@code anthropic}: Anthropic's Messages API ({@code POST /v1/messages}) behind OpenAI's chat completions. Builds the
 * Messages request (system prompt on top, {@code max_tokens} always set, tools and tool results as content blocks,
 * consecutive same-role messages merged), maps the message back to a {@code chat.completion}, its SSE events to
 * {@code chat.completion.chunk}s, and its {@code {"type":"error","error":{...}}} bodies to the provider's message.
 * Chat only: Anthropic serves neither text completions nor embeddings.
 */
@Singleton
public class AnthropicAdapter implements ProviderAdapter {

    static final String MESSAGES_PATH = "/v1/messages";

    private final int defaultMaxTokens;
    private final String version;

    @Inject
    public AnthropicAdapter(RouterConfig config) {
        this(config.anthropic().defaultMaxTokens(), config.anthropic().version());
    }

    AnthropicAdapter(int defaultMaxTokens, String version) {
        this.defaultMaxTokens = defaultMaxTokens;
        this.version = version;
    }

    @Override
    public String type() {
        return ProviderTypes.ANTHROPIC;
    }

    @Override
    public boolean supports(Operation operation) {
        return operation == Operation.CHAT;
    }

    @Override
    public Future<UpstreamResponse> send(UpstreamCall call) {
        return call.send(request(call));
    }

    /** The upstream request: {@code POST {base}/v1/messages} with {@code anthropic-version}. */
    UpstreamRequest request(UpstreamCall call) {
        if (call.operation() != Operation.CHAT) {
            throw UpstreamErrors.unsupported(call.provider().name(), type(), call.operation());
        }
        MultiMap headers = call.jsonHeaders();
        headers.set("anthropic-version", version);
        return new UpstreamRequest(HttpMethod.POST, call.url(MESSAGES_PATH), headers, Json.write(body(call)));
    }

    // ---------------------------------------------------------------------------------------------- request

    /**
     * The Messages API body for the call's OpenAI chat request.
     *
     * @throws GatewayError (400) for what the Messages API cannot express ({@code n > 1}, unknown content parts)
     */
    ObjectNode body(UpstreamCall call) {
        ObjectNode request = call.request();
        JsonNode n = request.get("n");
        if (n != null && n.isNumber() && n.asInt() > 1) {
            throw GatewayError.badRequest("Provider '" + call.provider().name()
                    + "' (type anthropic) returns one choice per request: 'n' must be 1.", "n", "unsupported_parameter");
        }
        ObjectNode out = Json.object().put("model", call.model().upstreamId());
        StringBuilder system = new StringBuilder();
        ArrayNode messages = messages(request.path("messages"), system);
        if (messages.isEmpty()) {
            throw GatewayError.badRequest("Provider '" + call.provider().name() + "' (type anthropic) needs at least "
                    + "one user or assistant message besides system messages.", "messages", "invalid_value");
        }
        if (system.length() > 0) {
            out.put("system", system.toString());
        }
        out.set("messages", messages);
        out.put("max_tokens", maxTokens(request));
        JsonNode stop = request.get("stop");
        if (stop != null && stop.isTextual()) {
            out.putArray("stop_sequences").add(stop.asText());
        } else if (stop != null && stop.isArray() && !stop.isEmpty()) {
            ArrayNode sequences = out.putArray("stop_sequences");
            stop.forEach(sequence -> sequences.add(sequence.asText()));
        }
        copyNumber(request, out, "temperature");
        copyNumber(request, out, "top_p");
        tools(request, out);
        JsonNode user = request.get("user");
        if (user != null && user.isTextual() && !user.asText().isEmpty()) {
            out.putObject("metadata").put("user_id", user.asText());
        }
        if (call.stream()) {
            out.put("stream", true);
        }
        return out;
    }

    private long maxTokens(ObjectNode request) {
        JsonNode max = request.get("max_completion_tokens");
        if (max == null || !max.isNumber()) {
            max = request.get("max_tokens");
        }
        return max != null && max.isNumber() ? max.asLong() : defaultMaxTokens;
    }

    private static void copyNumber(ObjectNode from, ObjectNode to, String field) {
        JsonNode value = from.get(field);
        if (value != null && value.isNumber()) {
            to.set(field, value);
        }
    }

    /**
     * OpenAI messages as Messages API messages: system and developer text into {@code system}, tool results into
     * user messages, consecutive messages of one role merged into one (the API wants user and assistant to alternate).
     */
    private static ArrayNode messages(JsonNode openAiMessages, StringBuilder system) {
        ArrayNode out = Json.MAPPER.createArrayNode();
        String lastRole = null;
        ArrayNode lastContent = null;
        for (int i = 0; i < openAiMessages.size(); i++) {
            JsonNode message = openAiMessages.get(i);
            String role = message.path("role").asText();
            ArrayNode blocks = Json.MAPPER.createArrayNode();
            String anthropicRole;
            switch (role) {
                case "system", "developer" -> {
                    String text = Json.text(message.path("content"));
                    if (!text.isEmpty()) {
                        system.append(system.length() > 0 ? "\n\n" : "").append(text);
                    }
                    continue;
                }
                case "user" -> {
                    anthropicRole = "user";
                    contentBlocks(message.path("content"), blocks, "messages[" + i + "].content", true);
                }
                case "assistant" -> {
                    anthropicRole = "assistant";
                    contentBlocks(message.path("content"), blocks, "messages[" + i + "].content", false);
                    toolUses(message.path("tool_calls"), blocks, i);
                }
                case "tool" -> {
                    anthropicRole = "user";
                    ObjectNode result = blocks.addObject().put("type", "tool_result")
                            .put("tool_use_id", message.path("tool_call_id").asText(""));
                    String text = Json.text(message.path("content"));
                    if (!text.isEmpty()) {
                        result.put("content", text);
                    }
                }
                default -> throw GatewayError.badRequest("messages[" + i + "] has role '" + role
                        + "', which provider type anthropic does not take (use system, developer, user, assistant "
                        + "or tool).", "messages[" + i + "].role", "invalid_value");
            }
            if (blocks.isEmpty()) {
                continue;
            }
            if (anthropicRole.equals(lastRole)) {
                lastContent.addAll(blocks);
            } else {
                ObjectNode next = out.addObject().put("role", anthropicRole);
                next.set("content", blocks);
                lastRole = anthropicRole;
                lastContent = blocks;
            }
        }
        // a lone text block reads better (and counts the same) as plain string content
        for (JsonNode message : out) {
            JsonNode content = message.path("content");
            if (content.size() == 1 && "text".equals(content.get(0).path("type").asText())) {
                ((ObjectNode) message).put("content", content.get(0).path("text").asText());
            }
        }
        return out;
    }

    /** Text (and, for user messages, image and PDF) parts as content blocks; empty text is dropped. */
    private static void contentBlocks(JsonNode content, ArrayNode blocks, String where, boolean user) {
        if (content.isTextual()) {
            text(blocks, content.asText());
            return;
        }
        if (!content.isArray()) {
            return;
        }
        for (int j = 0; j < content.size(); j++) {
            JsonNode part = content.get(j);
            String type = part.path("type").asText();
            String at = where + "[" + j + "]";
            switch (type) {
                case "text" -> text(blocks, part.path("text").asText(""));
                case "refusal" -> text(blocks, part.path("refusal").asText(""));
                case "image_url" -> {
                    if (!user) {
                        throw unsupportedPart(at, type);
                    }
                    JsonNode imageUrl = part.path("image_url");
                    String url = imageUrl.isTextual() ? imageUrl.asText() : imageUrl.path("url").asText("");
                    blocks.addObject().put("type", "image").set("source", source(url, at, "image"));
                }
                case "file" -> {
                    String data = part.path("file").path("file_data").asText("");
                    if (!user || data.isEmpty()) {
                        throw unsupportedPart(at, type + " (only inline file_data)");
                    }
                    blocks.addObject().put("type", "document").set("source", source(data, at, "file"));
                }
                default -> throw unsupportedPart(at, type);
            }
        }
    }

    private static void text(ArrayNode blocks, String text) {
        if (!text.isEmpty()) {
            blocks.addObject().put("type", "text").put("text", text);
        }
    }

    /** An image or document source: a base64 {@code data:} URL, or an http(s) URL Anthropic fetches itself. */
    private static ObjectNode source(String url, String at, String what) {
        if (url.startsWith("data:")) {
            int comma = url.indexOf(',');
            String meta = comma < 0 ? "" : url.substring(5, comma);
            if (comma < 0 || !meta.endsWith(";base64")) {
                throw GatewayError.badRequest(at + ": a data URL must be base64 encoded (data:<type>;base64,...).",
                        at, "invalid_value");
            }
            return Json.object().put("type", "base64").put("media_type", meta.substring(0, meta.length() - 7))
                    .put("data", url.substring(comma + 1));
        }
        if (url.startsWith("https://") || url.startsWith("http://")) {
            return Json.object().put("type", "url").put("url", url);
        }
        throw GatewayError.badRequest(at + ": the " + what + " must be a data: URL or an http(s) URL.", at,
                "invalid_value");
    }

    private static GatewayError unsupportedPart(String at, String type) {
        return GatewayError.badRequest(at + ": content parts of type '" + type
                + "' are not supported by provider type anthropic here.", at, "unsupported_content");
    }

    /** Assistant {@code tool_calls} as {@code tool_use} blocks, their JSON string arguments parsed to objects. */
    private static void toolUses(JsonNode toolCalls, ArrayNode blocks, int i) {
        if (!toolCalls.isArray()) {
            return;
        }
        for (int j = 0; j < toolCalls.size(); j++) {
            JsonNode toolCall = toolCalls.get(j);
            JsonNode function = toolCall.path("function");
            JsonNode input = Json.toolArguments(function.path("arguments").asText(""));
            if (input == null) {
                String at = "messages[" + i + "].tool_calls[" + j + "].function.arguments";
                throw GatewayError.badRequest(at + " must be a JSON object (provider type anthropic takes tool "
                        + "inputs as objects).", at, "invalid_value");
            }
            blocks.addObject().put("type", "tool_use").put("id", toolCall.path("id").asText(""))
                    .put("name", function.path("name").asText("")).set("input", input);
        }
    }

    /** {@code tools}, and with them {@code tool_choice} and {@code parallel_tool_calls}. */
    private static void tools(ObjectNode request, ObjectNode out) {
        JsonNode tools = request.get("tools");
        if (tools == null || !tools.isArray() || tools.isEmpty()) {
            // the Messages API takes tool_choice only with tools (clients often send it regardless)
            return;
        }
        ArrayNode mapped = out.putArray("tools");
        for (int k = 0; k < tools.size(); k++) {
            JsonNode tool = tools.get(k);
            String type = tool.path("type").asText("function");
            if (!"function".equals(type) || !tool.path("function").isObject()) {
                throw GatewayError.badRequest("tools[" + k + "]: provider type anthropic takes only function "
                        + "tools here (got '" + type + "').", "tools[" + k + "].type", "invalid_value");
            }
            JsonNode function = tool.path("function");
            ObjectNode entry = mapped.addObject().put("name", function.path("name").asText(""));
            if (function.hasNonNull("description")) {
                entry.put("description", function.path("description").asText());
            }
            JsonNode parameters = function.path("parameters");
            if (parameters.isObject()) {
                entry.set("input_schema", parameters);
            } else {
                entry.putObject("input_schema").put("type", "object").putObject("properties");
            }
        }
        JsonNode choice = request.get("tool_choice");
        ObjectNode toolChoice = null;
        if (choice != null && choice.isTextual()) {
            String type = switch (choice.asText()) {
                case "auto" -> "auto";
                case "required" -> "any";
                case "none" -> "none";
                default -> throw GatewayError.badRequest("tool_choice must be 'auto', 'required', 'none' or a "
                        + "named function.", "tool_choice", "invalid_value");
            };
            toolChoice = Json.object().put("type", type);
        } else if (choice != null && choice.isObject()) {
            String name = choice.path("function").path("name").asText("");
            if (name.isEmpty()) {
                throw GatewayError.badRequest("tool_choice must name a function: {\"type\":\"function\","
                        + "\"function\":{\"name\":...}}.", "tool_choice", "invalid_value");
            }
            toolChoice = Json.object().put("type", "tool").put("name", name);
        }
        JsonNode parallel = request.get("parallel_tool_calls");
        if (parallel != null && parallel.isBoolean() && !parallel.asBoolean()) {
            if (toolChoice == null) {
                toolChoice = Json.object().put("type", "auto");
            }
            if (!"none".equals(toolChoice.path("type").asText())) {
                toolChoice.put("disable_parallel_tool_use", true);
            }
        }
        if (toolChoice != null) {
            out.set("tool_choice", toolChoice);
        }
    }

    // --------------------------------------------------------------------------------------------- response

    @Override
    public Buffer response(UpstreamCall call, Buffer upstreamBody) {
        JsonNode body = Json.readUpstream(call, upstreamBody);
        JsonNode content = body.path("content");
        if (!content.isArray()) {
            throw UpstreamErrors.malformed(call, "the message has no content array");
        }
        StringBuilder text = new StringBuilder();
        boolean hasText = false;
        ObjectNode message = OpenAiResponses.assistantMessage(null);
        for (JsonNode block : content) {
            switch (block.path("type").asText()) {
                case "text" -> {
                    hasText = true;
                    text.append(block.path("text").asText(""));
                }
                case "tool_use" -> OpenAiResponses.addToolCall(message, block.path("id").asText(),
                        block.path("name").asText(), block.has("input") ? block.get("input").toString() : "{}");
                default -> {
                    // thinking, redacted_thinking, server tool blocks: nothing OpenAI's message can carry
                }
            }
        }
        boolean hasTools = message.has("tool_calls");
        if (hasText || !hasTools) {
            message.put("content", text.toString());
        }
        Tokens tokens = new Tokens();
        tokens.read(body.path("usage"));
        tokens.apply(call.usage());
        call.firstToken();
        return OpenAiResponses.chatCompletion(call, body.path("id").asText(null), body.path("model").asText(null),
                message, finishReason(body.path("stop_reason").asText(null)));
    }

    /** Anthropic's {@code stop_reason} as OpenAI's {@code finish_reason}. */
    static String finishReason(String stopReason) {
        if (stopReason == null) {
            return "stop";
        }
        return switch (stopReason) {
            case "max_tokens", "model_context_window_exceeded" -> "length";
            case "tool_use" -> "tool_calls";
            case "refusal" -> "content_filter";
            default -> "stop";
        };
    }

    /**
     * Anthropic's token counts as they arrive (a stream reports input in {@code message_start} and the cumulative
     * output in each {@code message_delta}): prompt = input + cache reads + cache writes, cached = cache reads.
     */
    static final class Tokens {
        private long input = -1;
        private long cacheRead;
        private long cacheCreation;
        private long output = -1;

        void read(JsonNode usage) {
            if (!usage.isObject()) {
                return;
            }
            JsonNode value = usage.get("input_tokens");
            if (value != null && value.isNumber()) {
                input = value.asLong();
            }
            value = usage.get("cache_read_input_tokens");
            if (value != null && value.isNumber()) {
                cacheRead = value.asLong();
            }
            value = usage.get("cache_creation_input_tokens");
            if (value != null && value.isNumber()) {
                cacheCreation = value.asLong();
            }
            value = usage.get("output_tokens");
            if (value != null && value.isNumber()) {
                output = value.asLong();
            }
        }

        void apply(Usage usage) {
            if (input >= 0) {
                usage.promptTokens = input + cacheRead + cacheCreation;
                usage.cachedTokens = cacheRead;
            }
            if (output >= 0) {
                usage.completionTokens = output;
            }
        }
    }

    // ----------------------------------------------------------------------------------------------- stream

    @Override
    public StreamMapper stream(UpstreamCall call) {
        return new MessagesStream(call);
    }

    /**
     * Anthropic's SSE events as OpenAI chunks: text deltas as content, {@code tool_use} blocks as tool calls (indexed
     * by their position among the message's tool blocks), {@code message_delta} as the finish chunk, and
     * {@code message_stop} as the end. An {@code error} event fails the stream.
     */
    static final class MessagesStream extends TranslatingStream<OpenAiStream> {

        private final Tokens tokens = new Tokens();
        private final Map<Integer, Integer> toolIndexByBlock = new HashMap<>();
        private String finishReason;
        private long generatedChars;

        MessagesStream(UpstreamCall call) {
            super(call, new OpenAiStream(call), Framing.SSE);
        }

        @Override
        protected void upstreamEnded() {
            estimateUsageIfCutShort(generatedChars);
        }

        @Override
        protected void event(String name, String data) {
            if (out.ended()) {
                return;
            }
            JsonNode event = readObject(data, "a stream event");
            if (event == null) {
                return;
            }
            String type = event.path("type").asText(name == null ? "" : name);
            switch (type) {
                case "message_start" -> {
                    JsonNode message = event.path("message");
                    out.id(message.path("id").asText(null)).model(message.path("model").asText(null));
                    tokens.read(message.path("usage"));
                    tokens.apply(call.usage());
                    out.start();
                }
                case "content_block_start" -> blockStart(event.path("index").asInt(), event.path("content_block"));
                case "content_block_delta" -> blockDelta(event.path("index").asInt(), event.path("delta"));
                case "message_delta" -> {
                    String stopReason = event.path("delta").path("stop_reason").asText(null);
                    if (stopReason != null) {
                        finishReason = finishReason(stopReason);
                        out.finish(finishReason);
                    }
                    tokens.read(event.path("usage"));
                    tokens.apply(call.usage());
                }
                case "message_stop" -> {
                    done = true;
                    out.end(finishReason == null ? "stop" : finishReason);
                }
                case "error" -> {
                    JsonNode error = event.path("error");
                    String errorType = error.path("type").asText("");
                    out.fail(UpstreamErrors.fromStatus(call, statusOf(errorType), null,
                            error.path("message").asText(null), "overloaded_error".equals(errorType)));
                }
                default -> {
                    // ping, content_block_stop, and event types added later
                }
            }
        }

        private void blockStart(int index, JsonNode block) {
            switch (block.path("type").asText()) {
                case "text" -> content(block.path("text").asText(""));
                case "tool_use" -> {
                    int toolIndex = toolIndexByBlock.size();
                    toolIndexByBlock.put(index, toolIndex);
                    String name = block.path("name").asText("");
                    generatedChars += name.length();
                    out.toolCall(toolIndex, block.path("id").asText(""), name, "");
                }
                default -> {
                    // thinking and server tool blocks have no OpenAI chunk
                }
            }
        }

        private void blockDelta(int index, JsonNode delta) {
            switch (delta.path("type").asText()) {
                case "text_delta" -> content(delta.path("text").asText(""));
                case "input_json_delta" -> {
                    Integer toolIndex = toolIndexByBlock.get(index);
                    String fragment = delta.path("partial_json").asText("");
                    if (toolIndex != null && !fragment.isEmpty()) {
                        generatedChars += fragment.length();
                        out.toolCall(toolIndex, null, null, fragment);
                    }
                }
                default -> {
                    // thinking_delta, signature_delta, citations_delta
                }
            }
        }

        private void content(String text) {
            generatedChars += text.length();
            out.content(text);
        }
    }

    /** The HTTP status Anthropic answers with for an error type (a stream's error event carries only the type). */
    static int statusOf(String errorType) {
        return switch (errorType) {
            case "invalid_request_error" -> 400;
            case "authentication_error" -> 401;
            case "billing_error" -> 402;
            case "permission_error" -> 403;
            case "not_found_error" -> 404;
            case "request_too_large" -> 413;
            case "rate_limit_error" -> 429;
            case "timeout_error" -> 504;
            case "overloaded_error" -> 529;
            default -> 500;
        };
    }

    // ----------------------------------------------------------------------------------------------- errors

    @Override
    public GatewayError error(UpstreamCall call, UpstreamResponse response, Buffer body) {
        // a body that is not JSON (a proxy's page) has no provider message
        JsonNode error = ErrorBodies.json(body).path("error");
        String errorType = null;
        String message = null;
        if (error.isObject()) {
            errorType = error.path("type").asText(null);
            message = error.path("message").asText(null);
        } else if (error.isTextual()) {
            message = error.asText();
        }
        boolean overloaded = response.status() == 529 || "overloaded_error".equals(errorType);
        return UpstreamErrors.fromStatus(call, response.status(), response.headers(), message, overloaded);
    }
}
