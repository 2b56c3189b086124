package io.visca.gateway.fakes;

import java.util.Locale;
import java.util.concurrent.CountDownLatch;

/**
 * Runs a fake upstream from the command line, for trying the gateway by hand and for benchmarks:
 *
 * <pre>
 * java -cp "fake-upstreams/target/classes:fake-upstreams/target/lib/*" io.visca.gateway.fakes.FakeUpstreamMain --port 18000 \
 *      [--type openai|anthropic|ollama|tgi|replicate|custom] [--api-key KEY] [--models m1,m2] [--reply TEXT] [--quiet]
 * </pre>
 *
 * The type defaults to {@code openai}. {@code --api-key} is required the way the provider's clients send it
 * ({@code Authorization: Bearer}, Anthropic's {@code x-api-key}, for {@code custom} HTTP Basic {@code user:password}).
 * {@code --models} replaces the type's default models. Request recording is off.
 */
public final class FakeUpstreamMain {

    public static void main(String[] args) throws InterruptedException {
        int port = 18000;
        String type = "openai";
        String apiKey = null;
        String[] models = null;
        String reply = null;
        boolean quiet = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--port" -> port = Integer.parseInt(args[++i]);
                case "--type" -> type = args[++i].toLowerCase(Locale.ROOT);
                case "--api-key" -> apiKey = args[++i];
                case "--models" -> models = args[++i].split(",");
                case "--reply" -> reply = args[++i];
                case "--quiet" -> quiet = true;
                default -> usage("unknown argument: " + args[i]);
            }
        }
        FakeUpstream<?> server = start(type, port);
        server.recording(false);
        if (models != null) {
            server.models(models);
        }
        if (reply != null) {
            server.reply(reply);
        }
        if (apiKey != null) {
            server.requireApiKey(apiKey);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "fake-upstream-stop"));
        if (!quiet) {
            System.out.println("fake " + type + " upstream on " + server.baseUrl());
        }
        new CountDownLatch(1).await();
    }

    /** Starts a fake of the given type on the port. */
    static FakeUpstream<?> start(String type, int port) {
        return switch (type) {
            case "openai" -> FakeOpenAiServer.start(port);
            case "anthropic" -> FakeAnthropicServer.start(port);
            case "ollama" -> FakeOllamaServer.start(port);
            case "tgi" -> FakeTgiServer.start(port);
            case "replicate" -> FakeReplicateServer.start(port);
            case "custom" -> FakeCustomServer.start(port);
            default -> {
                usage("unknown --type " + type + " (openai|anthropic|ollama|tgi|replicate|custom)");
                yield null;
            }
        };
    }

    private static void usage(String message) {
        System.err.println(message);
        System.exit(2);
    }

    private FakeUpstreamMain() {
    }
}
