package io.visca.gateway.router.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerResponse;
import io.visca.gateway.router.testing.RegistryAdmin;
import io.visca.gateway.router.testing.RouterApi;

/**
 * {@code router.upstream.max-event-bytes}: upstreams that stream one endless line (SSE without a line end, NDJSON
 * without a newline) get their stream ended with an OpenAI-shaped SSE error event; the router stops reading them,
 * and a large but legitimate event still passes.
 */
@QuarkusTest
class UpstreamEventCapTests {

    private static final int BIG_EVENT_CHARS = 600_000;
    private static Vertx vertx;
    private static HttpServer server;
    private static final AtomicLong written = new AtomicLong();
    private static volatile CompletableFuture<Void> closed = new CompletableFuture<>();

    @BeforeAll
    static void upstream() throws Exception {
        vertx = Vertx.vertx();
        server = vertx.createHttpServer().requestHandler(request -> request.body().onSuccess(body -> {
            HttpServerResponse response = request.response().setChunked(true);
            String prompt = body.toJsonObject().getJsonArray("messages").getJsonObject(0).getString("content");
            if (prompt.equals("big")) {
                String content = "y".repeat(BIG_EVENT_CHARS);
                response.putHeader("content-type", "text/event-stream");
                response.write("data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\","
                        + "\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"" + content
                        + "\"},\"finish_reason\":null}]}\n\n");
                response.end("data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\","
                        + "\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\ndata: [DONE]\n\n");
                return;
            }
            boolean ndjson = request.path().startsWith("/api/");
            response.putHeader("content-type", ndjson ? "application/x-ndjson" : "text/event-stream");
            response.write(ndjson ? "{\"message\":{\"role\":\"assistant\",\"content\":\"" : "data: {\"x\":\"");
            endless(response);
        })).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        String base = "http://127.0.0.1:" + server.actualPort();
        RegistryAdmin.putProvider("""
                {"name": "t-endless-sse", "type": "openai-compatible", "base_url": "%s/v1",
                 "auth": {"auth_type": "none"}, "models": [{"id": "endless-sse"}]}""".formatted(base));
        RegistryAdmin.putProvider("""
                {"name": "t-endless-ndjson", "type": "ollama", "base_url": "%s", "auth": {"auth_type": "none"},
                 "models": [{"id": "endless-ndjson", "upstream_model": "llama3:8b"}]}""".formatted(base));
        RouterApi.awaitModel("endless-sse");
        RouterApi.awaitModel("endless-ndjson");
    }

    /** Writes 64 KiB of 'x' at a time, as fast as the router reads, until the connection closes. */
    private static void endless(HttpServerResponse response) {
        Buffer chunk = Buffer.buffer("x".repeat(65536));
        CompletableFuture<Void> done = closed;
        response.closeHandler(v -> done.complete(null));
        Runnable[] pump = new Runnable[1];
        pump[0] = () -> {
            while (!done.isDone() && !response.writeQueueFull()) {
                response.write(chunk);
                written.addAndGet(chunk.length());
            }
            if (!done.isDone()) {
                response.drainHandler(v -> pump[0].run());
            }
        };
        pump[0].run();
    }

    @AfterAll
    static void stop() throws Exception {
        RegistryAdmin.deleteProvider("t-endless-sse");
        RegistryAdmin.deleteProvider("t-endless-ndjson");
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private static Response chat(String model, String prompt) {
        return RouterApi.request().body("{\"model\":\"" + model + "\",\"stream\":true,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"" + prompt + "\"}]}").post("/v1/chat/completions");
    }

    @ParameterizedTest
    @ValueSource(strings = { "endless-sse", "endless-ndjson" })
    void anEndlessLineEndsTheStreamWithAnErrorEvent(String model) throws Exception {
        closed = new CompletableFuture<>();
        written.set(0);
        Response response = chat(model, "go");
        assertEquals(200, response.statusCode());
        String body = response.asString();
        assertTrue(body.startsWith("data: {\"error\":") || body.contains("\ndata: {\"error\":"), body);
        assertTrue(body.contains("\"code\":\"upstream_event_too_large\""), body);
        assertTrue(body.contains("larger than 1048576 bytes (router.upstream.max-event-bytes)"), body);
        assertTrue(body.length() < 4096, "nothing of the endless line reached the client: " + body.length());
        closed.get(10, TimeUnit.SECONDS); // the router closed the upstream connection
        assertTrue(written.get() < 64L << 20, "the router stopped reading: " + written.get() + " bytes sent");
        RouterApi.management().get("/q/health/ready").then().statusCode(200);
    }

    @Test
    void aLargeButLegitimateEventPasses() {
        String body = chat("endless-sse", "big").then().statusCode(200).extract().asString();
        assertTrue(body.contains("y".repeat(BIG_EVENT_CHARS)), "the 600 kB chunk arrived whole");
        assertTrue(body.trim().endsWith("data: [DONE]"), body.substring(Math.max(0, body.length() - 200)));
    }
}
