package io.visca.gateway.fakes;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** A small java.net.http client for the fakes' tests. */
final class Http {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private Http() {
    }

    /** A whole response. */
    record Response(int status, java.net.http.HttpHeaders headers, String body) {

        JsonNode json() {
            return Http.json(body);
        }

        String header(String name) {
            return headers.firstValue(name).orElse(null);
        }
    }

    /** A streamed response, read line by line until its end; {@code broken} if the connection was cut. */
    record Streamed(int status, java.net.http.HttpHeaders headers, List<String> lines, boolean broken) {

        String header(String name) {
            return headers.firstValue(name).orElse(null);
        }

        /** The JSON of each {@code data:} line (TGI's {@code data:x} and the usual {@code data: x}). */
        List<JsonNode> data() {
            List<JsonNode> out = new ArrayList<>();
            for (String line : lines) {
                if (line.startsWith("data:") && !line.equals("data: [DONE]")) {
                    out.add(Http.json(line.substring(5).trim()));
                }
            }
            return out;
        }

        /** The last line that is not empty. */
        String lastLine() {
            return lines.stream().filter(l -> !l.isEmpty()).reduce((a, b) -> b).orElse(null);
        }

        /** The value of each line that starts with the prefix. */
        List<String> values(String prefix) {
            return lines.stream().filter(l -> l.startsWith(prefix)).map(l -> l.substring(prefix.length())).toList();
        }
    }

    /** JSON written with single quotes, for readable tests. */
    static String j(String text) {
        return text.replace('\'', '"');
    }

    static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }

    static Response get(String url, String... headers) {
        return send(builder(url, headers).GET().build());
    }

    static Response post(String url, String body, String... headers) {
        return send(builder(url, headers).POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    static Streamed stream(String url, String body, String... headers) {
        HttpRequest.Builder b = builder(url, headers);
        HttpRequest request = body == null ? b.GET().build()
                : b.POST(HttpRequest.BodyPublishers.ofString(body)).build();
        Collector collector = new Collector();
        AtomicReference<HttpResponse.ResponseInfo> head = new AtomicReference<>();
        try {
            try {
                CLIENT.send(request, info -> {
                    head.set(info);
                    return HttpResponse.BodySubscribers.fromSubscriber(collector);
                });
            } catch (IOException e) {
                if (head.get() == null) {
                    throw new UncheckedIOException(e);
                }
                // the body broke off: the collector has what came before
            }
            boolean broken = collector.done.get(10, TimeUnit.SECONDS);
            List<String> lines = List.of(collector.bytes.toString(StandardCharsets.UTF_8).split("\n", -1));
            return new Streamed(head.get().statusCode(), head.get().headers(), lines, broken);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Collects a body as it arrives, all of it even when the connection is cut (done: true if it was). */
    private static final class Collector implements Flow.Subscriber<List<ByteBuffer>> {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final CompletableFuture<Boolean> done = new CompletableFuture<>();

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            subscription.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(List<ByteBuffer> items) {
            for (ByteBuffer item : items) {
                byte[] chunk = new byte[item.remaining()];
                item.get(chunk);
                bytes.write(chunk, 0, chunk.length);
            }
        }

        @Override
        public void onError(Throwable error) {
            done.complete(true);
        }

        @Override
        public void onComplete() {
            done.complete(false);
        }
    }

    private static HttpRequest.Builder builder(String url, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return b;
    }

    private static Response send(HttpRequest request) {
        try {
            HttpResponse<String> res = CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
            return new Response(res.statusCode(), res.headers(), res.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
