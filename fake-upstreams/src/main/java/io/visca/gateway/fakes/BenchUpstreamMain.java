package io.visca.gateway.fakes;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;

/**
 * A fast fake OpenAI upstream for benchmarks ({@code bench/run.sh}), so that the fake is never the bottleneck: plain
 * Vert.x on one event loop, precomputed response bodies, no JSON parsing, no request recording, no checks.
 *
 * <pre>
 * java -cp "fake-upstreams/target/classes:fake-upstreams/target/lib/*" io.visca.gateway.fakes.BenchUpstreamMain \
 *      [--port 0] [--models bench-model] [--event-loops 1] [--stream-chunks 16] [--quiet]
 * </pre>
 *
 * <ul>
 * <li>{@code POST /v1/chat/completions}: a fixed {@code chat.completion} with {@code usage}; when the body contains
 * {@code "stream":true} (found by a byte scan, not a parse) a fixed SSE stream instead: a role chunk,
 * {@code --stream-chunks} content chunks, a finish chunk, a usage chunk and {@code data: [DONE]}, all written at
 * once.</li>
 * <li>{@code GET /v1/models} and {@code GET /v1/models/{id}}: the {@code --models}.</li>
 * </ul>
 *
 * Prints {@code LISTENING <port>} once it accepts connections (port 0 picks a free one).
 */
public final class BenchUpstreamMain {

    private static final CharSequence JSON = HttpHeaders.createOptimized("application/json");
    private static final CharSequence EVENT_STREAM = HttpHeaders.createOptimized("text/event-stream");
    private static final byte[] STREAM_KEY = "\"stream\"".getBytes(StandardCharsets.US_ASCII);

    private final String[] models;
    private final Buffer completion;
    private final CharSequence completionLength;
    private final Buffer stream;
    private final Buffer modelList;
    private final CharSequence modelListLength;
    private final Buffer notFound;
    private final CharSequence notFoundLength;

    BenchUpstreamMain(String[] models, int streamChunks) {
        this.models = models;
        String model = models[0];
        long created = System.currentTimeMillis() / 1000;
        String text = "This is a fixed answer from the benchmark upstream, about twenty tokens long, always the same.";
        completion = bytes("{\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion\",\"created\":" + created
                + ",\"model\":\"" + model + "\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\","
                + "\"content\":\"" + text + "\",\"refusal\":null},\"logprobs\":null,\"finish_reason\":\"stop\"}],"
                + "\"usage\":{\"prompt_tokens\":25,\"completion_tokens\":21,\"total_tokens\":46},"
                + "\"system_fingerprint\":\"fp_bench\"}");
        completionLength = length(completion);

        String head = "data: {\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion.chunk\",\"created\":" + created
                + ",\"model\":\"" + model + "\",\"system_fingerprint\":\"fp_bench\",\"choices\":[{\"index\":0,";
        StringBuilder sse = new StringBuilder();
        sse.append(head).append("\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"logprobs\":null,"
                + "\"finish_reason\":null}],\"usage\":null}\n\n");
        for (int i = 0; i < streamChunks; i++) {
            sse.append(head).append("\"delta\":{\"content\":\"tok").append(i)
                    .append(" \"},\"logprobs\":null,\"finish_reason\":null}],\"usage\":null}\n\n");
        }
        sse.append(head).append("\"delta\":{},\"logprobs\":null,\"finish_reason\":\"stop\"}],\"usage\":null}\n\n");
        sse.append("data: {\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion.chunk\",\"created\":").append(created)
                .append(",\"model\":\"").append(model).append("\",\"system_fingerprint\":\"fp_bench\",\"choices\":[],")
                .append("\"usage\":{\"prompt_tokens\":25,\"completion_tokens\":").append(streamChunks)
                .append(",\"total_tokens\":").append(25 + streamChunks).append("}}\n\n");
        sse.append("data: [DONE]\n\n");
        stream = bytes(sse.toString());

        StringBuilder list = new StringBuilder("{\"object\":\"list\",\"data\":[");
        for (int i = 0; i < models.length; i++) {
            list.append(i == 0 ? "" : ",").append(modelJson(models[i], created));
        }
        modelList = bytes(list.append("]}").toString());
        modelListLength = length(modelList);
        notFound = bytes("{\"error\":{\"message\":\"Not found (bench upstream).\",\"type\":\"invalid_request_error\","
                + "\"param\":null,\"code\":\"unknown_url\"}}");
        notFoundLength = length(notFound);
    }

    public static void main(String[] args) throws InterruptedException {
        int port = 0;
        String[] models = { "bench-model" };
        int eventLoops = 1;
        int streamChunks = 16;
        boolean quiet = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--port" -> port = Integer.parseInt(args[++i]);
                case "--models" -> models = args[++i].split(",");
                case "--event-loops" -> eventLoops = Integer.parseInt(args[++i]);
                case "--stream-chunks" -> streamChunks = Integer.parseInt(args[++i]);
                case "--quiet" -> quiet = true;
                default -> {
                    System.err.println("unknown argument: " + args[i]
                            + " (--port N --models a,b --event-loops N --stream-chunks N --quiet)");
                    System.exit(2);
                }
            }
        }
        BenchUpstreamMain fake = new BenchUpstreamMain(models, streamChunks);
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(eventLoops).setWorkerPoolSize(1)
                .setInternalBlockingPoolSize(1).setPreferNativeTransport(false));
        HttpServerOptions options = new HttpServerOptions().setHost("127.0.0.1").setPort(port).setTcpNoDelay(true)
                .setHttp2ClearTextEnabled(false).setCompressionSupported(false).setAcceptBacklog(1024);
        HttpServer server;
        try {
            // one server instance per event loop: Vert.x spreads the connections over them
            server = vertx.createHttpServer(options).requestHandler(fake::handle).listen().toCompletionStage()
                    .toCompletableFuture().get();
            for (int i = 1; i < eventLoops; i++) {
                vertx.createHttpServer(options.setPort(server.actualPort())).requestHandler(fake::handle).listen()
                        .toCompletionStage().toCompletableFuture().get();
            }
        } catch (Exception e) {
            System.err.println("bench upstream: cannot listen on port " + port + ": " + e);
            vertx.close();
            System.exit(1);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(vertx::close, "bench-upstream-stop"));
        System.out.println("LISTENING " + server.actualPort());
        if (!quiet) {
            System.out.println("bench OpenAI upstream on http://127.0.0.1:" + server.actualPort() + "/v1 (models "
                    + String.join(",", models) + ", " + eventLoops + " event loop(s))");
        }
        System.out.flush();
        new CountDownLatch(1).await();
    }

    private void handle(HttpServerRequest req) {
        String path = req.path();
        if (req.method() == HttpMethod.POST && path.equals("/v1/chat/completions")) {
            req.body().onSuccess(body -> {
                HttpServerResponse res = req.response();
                if (streamRequested(body)) {
                    res.putHeader(HttpHeaders.CONTENT_TYPE, EVENT_STREAM).setChunked(true).end(stream);
                } else {
                    send(res, 200, completion, completionLength);
                }
            });
            return;
        }
        req.resume();
        if (req.method() == HttpMethod.GET && path.equals("/v1/models")) {
            send(req.response(), 200, modelList, modelListLength);
        } else if (req.method() == HttpMethod.GET && path.startsWith("/v1/models/")) {
            String id = path.substring("/v1/models/".length());
            for (String model : models) {
                if (model.equals(id)) {
                    Buffer one = bytes(modelJson(model, 0));
                    send(req.response(), 200, one, length(one));
                    return;
                }
            }
            send(req.response(), 404, notFound, notFoundLength);
        } else {
            send(req.response(), 404, notFound, notFoundLength);
        }
    }

    private static void send(HttpServerResponse res, int status, Buffer body, CharSequence length) {
        // Buffer.getByteBuf() hands Netty a duplicate: the same precomputed buffer can be sent any number of times
        res.setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, JSON).putHeader(HttpHeaders.CONTENT_LENGTH, length)
                .end(body);
    }

    /** True when the body has {@code "stream"} followed by {@code : true} (whitespace allowed); no JSON parse. */
    static boolean streamRequested(Buffer body) {
        int n = body.length();
        outer: for (int i = 0; i + STREAM_KEY.length < n; i++) {
            for (int j = 0; j < STREAM_KEY.length; j++) {
                if (body.getByte(i + j) != STREAM_KEY[j]) {
                    continue outer;
                }
            }
            int k = i + STREAM_KEY.length;
            while (k < n && isSpace(body.getByte(k))) {
                k++;
            }
            if (k >= n || body.getByte(k) != ':') {
                continue;
            }
            k++;
            while (k < n && isSpace(body.getByte(k))) {
                k++;
            }
            return k < n && body.getByte(k) == 't';
        }
        return false;
    }

    private static boolean isSpace(byte b) {
        return b == ' ' || b == '\t' || b == '\n' || b == '\r';
    }

    private static String modelJson(String id, long created) {
        return "{\"id\":\"" + id + "\",\"object\":\"model\",\"created\":" + created + ",\"owned_by\":\"bench\"}";
    }

    private static Buffer bytes(String s) {
        return Buffer.buffer(s.getBytes(StandardCharsets.UTF_8));
    }

    private static CharSequence length(Buffer body) {
        return HttpHeaders.createOptimized(Integer.toString(body.length()));
    }
}
