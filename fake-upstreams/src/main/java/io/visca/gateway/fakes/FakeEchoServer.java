package io.visca.gateway.fakes;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;

/**
 * The fake of {@code example-echo}, the provider type that exists only in tests ({@code EchoType} in
 * {@code gateway-providers}' test-jar), in-process on a free loopback port under {@code /echo}: {@code GET /echo/status}
 * (200 {@code {"status":"ok"}}, 503 while failing), {@code GET /echo/voices} ({@code {"voices":[{"slug":"echo-1"},
 * {"slug":"echo-2"}]}}), {@code POST /echo/say} with {@code {"voice","text"}} answering {@code {"said":text}}. Errors
 * are {@code {"problem":…}}; a set API key is checked with a 401.
 */
public final class FakeEchoServer extends FakeServer<FakeEchoServer> {

    private FakeEchoServer() {
    }

    /** Starts on a free loopback port with its own Vert.x instance. */
    public static FakeEchoServer start() {
        return new FakeEchoServer().listen(0);
    }

    /** {@code http://127.0.0.1:PORT/echo}. */
    @Override
    public String baseUrl() {
        return root() + "/echo";
    }

    @Override
    protected boolean isProbe(String method, String path) {
        return "GET".equals(method) && path.equals("/echo/status");
    }

    @Override
    protected void unauthorized(HttpServerResponse res, String header, String value) {
        error(res, 401, problem(value == null ? "no " + header : "wrong " + header));
    }

    @Override
    protected String defaultErrorBody(int status) {
        return problem(reason(status));
    }

    @Override
    protected void badJson(HttpServerResponse res) {
        error(res, 400, problem("not a JSON object"));
    }

    @Override
    protected void route(HttpServerRequest req, String body) throws JsonProcessingException {
        HttpServerResponse res = req.response();
        String route = req.method().name() + " " + req.path();
        switch (route) {
            case "GET /echo/status" -> {
                if (failing()) {
                    error(res, 503, problem("echoing is off"));
                } else {
                    json(res, 200, JSON.createObjectNode().put("status", "ok"));
                }
            }
            case "GET /echo/voices" -> {
                ObjectNode listing = JSON.createObjectNode();
                listing.putArray("voices").add(JSON.createObjectNode().put("slug", "echo-1"))
                        .add(JSON.createObjectNode().put("slug", "echo-2"));
                json(res, 200, listing);
            }
            case "POST /echo/say" -> {
                JsonNode request = parse(body);
                if (!request.path("text").isTextual()) {
                    error(res, 400, problem("text is required"));
                    return;
                }
                json(res, 200, JSON.createObjectNode().put("said", request.path("text").textValue()));
            }
            default -> error(res, 404, problem("no route " + route));
        }
    }

    private static String problem(String message) {
        return JSON.createObjectNode().put("problem", message).toString();
    }
}
