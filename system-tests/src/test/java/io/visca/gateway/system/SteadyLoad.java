package io.visca.gateway.system;

import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.visca.gateway.infra.test.ServiceProcess;

/**
 * A client fleet sending chats to the router at a steady rate, as an application would, and keeping its own books:
 * which requests it saw answered (a 200 with a whole body: the JSON, or a stream through {@code [DONE]}), what each
 * cost by the model's prices and the tokens the answer reported, and every other outcome by status or I/O failure.
 * Each request carries its own {@code x-request-id} ({@code <run>-<n>}), which billing keeps as the correlation id.
 */
final class SteadyLoad implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String url;
    private final String clientKey;
    private final String run;
    private final IntFunction<String> body;
    private final BigDecimal inputPer1k;
    private final BigDecimal outputPer1k;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final List<Thread> clients = new ArrayList<>();
    private final AtomicInteger next = new AtomicInteger();
    private volatile boolean stopping;

    /** What each answered request cost, by its request id. */
    final Map<String, BigDecimal> answered = new ConcurrentHashMap<>();
    /** Requests whose connection failed (refused, reset, cut mid-answer): the router was down or being killed. */
    final Set<String> failed = ConcurrentHashMap.newKeySet();
    /** How many answers came with each status other than 200. */
    final Map<Integer, AtomicLong> statuses = new ConcurrentHashMap<>();
    /** An answer that is not what the client asked, e.g. a 401's body. */
    final Map<Integer, String> sampleBodies = new ConcurrentHashMap<>();
    /** How many answers came with each status other than 200 and error code, as {@code "429 budget_exceeded"}. */
    final Map<String, AtomicLong> refusals = new ConcurrentHashMap<>();
    /** The {@code Retry-After} of every answer with a status other than 200 that had one, by status. */
    final Map<Integer, Set<String>> retryAfters = new ConcurrentHashMap<>();

    /**
     * @param body the request body of request number n
     * @param inputPer1k the model's price per 1000 prompt tokens
     * @param outputPer1k the model's price per 1000 completion tokens
     */
    SteadyLoad(String routerUrl, String clientKey, String run, IntFunction<String> body, BigDecimal inputPer1k,
            BigDecimal outputPer1k) {
        this.url = routerUrl + "/v1/chat/completions";
        this.clientKey = clientKey;
        this.run = run;
        this.body = body;
        this.inputPer1k = inputPer1k;
        this.outputPer1k = outputPer1k;
    }

    /** Starts {@code threads} clients, each sending one request every {@code every} (waiting for each answer). */
    SteadyLoad start(int threads, Duration every) {
        for (int i = 0; i < threads; i++) {
            Thread client = new Thread(() -> loop(every), "load-" + i);
            client.setDaemon(true);
            clients.add(client);
            client.start();
        }
        return this;
    }

    private void loop(Duration every) {
        long period = every.toNanos();
        long due = System.nanoTime();
        while (!stopping) {
            send(next.getAndIncrement());
            due += period;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                sleep(TimeUnit.NANOSECONDS.toMillis(wait));
            } else {
                due = System.nanoTime();
            }
        }
    }

    private void send(int n) {
        String id = run + "-" + n;
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20))
                .header("Authorization", "Bearer " + clientKey).header("Content-Type", "application/json")
                .header("x-request-id", id).POST(HttpRequest.BodyPublishers.ofString(body.apply(n))).build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            failed.add(id);
            sleep(20);
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        if (response.statusCode() != 200) {
            statuses.computeIfAbsent(response.statusCode(), s -> new AtomicLong()).incrementAndGet();
            sampleBodies.putIfAbsent(response.statusCode(), response.body());
            refusals.computeIfAbsent(response.statusCode() + " " + errorCode(response.body()), s -> new AtomicLong())
                    .incrementAndGet();
            response.headers().firstValue("retry-after").ifPresent(value -> retryAfters
                    .computeIfAbsent(response.statusCode(), s -> ConcurrentHashMap.newKeySet()).add(value));
            return;
        }
        JsonNode usage = usage(response);
        if (usage == null) {
            failed.add(id); // a 200 whose stream was cut before its end: the client did not get an answer
            return;
        }
        answered.put(id, cost(usage.path("prompt_tokens").asLong(), usage.path("completion_tokens").asLong()));
    }

    /** The OpenAI error's {@code code} of a body, {@code (not json)} when it is none. */
    private static String errorCode(String body) {
        try {
            return JSON.readTree(body).path("error").path("code").asText("(no code)");
        } catch (IOException e) {
            return "(not json)";
        }
    }

    /** The answer's usage object; null when the answer is not whole. */
    private static JsonNode usage(HttpResponse<String> response) {
        String text = response.body();
        try {
            if (!text.startsWith("data:")) {
                JsonNode usage = JSON.readTree(text).get("usage");
                return usage == null || !usage.isObject() ? null : usage;
            }
            if (!text.stripTrailing().endsWith("data: [DONE]")) {
                return null;
            }
            JsonNode usage = null;
            for (String line : text.split("\n")) {
                if (line.startsWith("data: {")) {
                    JsonNode chunk = JSON.readTree(line.substring(6));
                    if (chunk.get("usage") != null && chunk.get("usage").isObject()) {
                        usage = chunk.get("usage");
                    }
                }
            }
            return usage;
        } catch (IOException e) {
            return null;
        }
    }

    /** The model's price × the tokens, as the client reckons it. */
    BigDecimal cost(long promptTokens, long completionTokens) {
        return inputPer1k.multiply(BigDecimal.valueOf(promptTokens)).add(
                outputPer1k.multiply(BigDecimal.valueOf(completionTokens))).movePointLeft(3);
    }

    BigDecimal answeredCost() {
        return answered.values().stream().reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    long status(int status) {
        AtomicLong count = statuses.get(status);
        return count == null ? 0 : count.get();
    }

    /** One load per router, each its own clients; request ids {@code <run>-r<router number from 1>-<n>}. */
    static List<SteadyLoad> onEach(List<ServiceProcess> routers, String run, String clientKey, IntFunction<String> body,
            BigDecimal inputPer1k, BigDecimal outputPer1k) {
        List<SteadyLoad> loads = new ArrayList<>();
        for (int i = 0; i < routers.size(); i++) {
            loads.add(new SteadyLoad(routers.get(i).url(), clientKey, run + "-r" + (i + 1), body, inputPer1k,
                    outputPer1k));
        }
        return loads;
    }

    /** Halts every client of every load first, then waits for each (a client may be waiting seconds for an answer). */
    static void stopAll(List<SteadyLoad> loads) {
        loads.forEach(SteadyLoad::halt);
        loads.forEach(SteadyLoad::close);
    }

    /** Tells the clients to stop after their current request ({@link #close()} also waits for them). */
    void halt() {
        stopping = true;
    }

    @Override
    public void close() {
        stopping = true;
        for (Thread client : clients) {
            try {
                client.join(30_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public String toString() {
        return "%d answered, %d failed connections, other answers %s".formatted(answered.size(), failed.size(),
                refusals);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
