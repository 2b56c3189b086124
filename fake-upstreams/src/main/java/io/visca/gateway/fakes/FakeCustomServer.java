package io.visca.gateway.fakes;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;

/**
 * A fake of a user's own ("custom") model API, the one the example provider config {@code custom-transform.json}
 * maps with jq: {@code POST /generate} with {@code {"prompt","max_tokens","temperature"}} answers
 * {@code {"output":{"text","stop_reason":"stop"|"length"},"meta":{"input_tokens","output_tokens"}}}; HTTP Basic
 * auth ({@link #requireBasic}); errors are {@code {"message":"..."}} with the status; {@code GET /health} for probes.
 */
public final class FakeCustomServer extends FakeUpstream<FakeCustomServer> {

    private FakeCustomServer() {
        super("legacy-13b");
    }

    /** Starts on a free loopback port with its own Vert.x instance. */
    public static FakeCustomServer start() {
        return start(0);
    }

    /** Starts on the given port (0 for a free one). */
    public static FakeCustomServer start(int port) {
        return new FakeCustomServer().listen(port);
    }

    /** Requires {@code Authorization: Basic base64(user:password)}; a null user drops the requirement. */
    public FakeCustomServer requireBasic(String user, String password) {
        return requireHeader("authorization", user == null ? null
                : "Basic " + Base64.getEncoder()
                        .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
    }

    /** A key {@code user:password} is required as HTTP Basic credentials, any other as a bearer token. */
    @Override
    public FakeCustomServer requireApiKey(String key) {
        if (key != null && key.contains(":")) {
            return requireBasic(key.substring(0, key.indexOf(':')), key.substring(key.indexOf(':') + 1));
        }
        return super.requireApiKey(key);
    }

    /** {@code http://127.0.0.1:PORT}; the config's request path is {@code /generate}. */
    @Override
    public String baseUrl() {
        return root();
    }

    @Override
    protected boolean isProbe(String method, String path) {
        return "GET".equals(method) && "/health".equals(path);
    }

    @Override
    protected void unauthorized(HttpServerResponse res, String header, String value) {
        res.putHeader("www-authenticate", "Basic realm=\"models\"");
        error(res, 401, message("Unauthorized"));
    }

    @Override
    protected String defaultErrorBody(int status) {
        return message(reason(status));
    }

    @Override
    protected void badJson(HttpServerResponse res) {
        error(res, 400, message("Malformed JSON body"));
    }

    @Override
    protected void route(HttpServerRequest req, String body) throws JsonProcessingException {
        HttpServerResponse res = req.response();
        switch (req.method().name() + " " + req.path()) {
            case "GET /health" -> json(res, failing() ? 503 : 200,
                    JSON.createObjectNode().put("status", failing() ? "down" : "ok"));
            case "POST /generate" -> generate(res, parse(body));
            default -> error(res, 404, message("Not found"));
        }
    }

    private void generate(HttpServerResponse res, JsonNode request) {
        if (!request.path("prompt").isTextual()) {
            error(res, 400, message("prompt is required"));
            return;
        }
        JsonNode max = request.path("max_tokens");
        if (max.isNumber() && max.asLong() < 1) {
            error(res, 400, message("max_tokens must be at least 1"));
            return;
        }
        Generation gen = generate(max.asLong(0), List.of(), false);
        ObjectNode out = JSON.createObjectNode();
        out.putObject("output").put("text", gen.text()).put("stop_reason",
                gen.finish() == Finish.LENGTH ? "length" : "stop");
        out.putObject("meta").put("input_tokens", words(request.path("prompt").asText())).put("output_tokens",
                gen.tokens());
        json(res, 200, out);
    }

    private static String message(String text) {
        return JSON.createObjectNode().put("message", text).toString();
    }
}
