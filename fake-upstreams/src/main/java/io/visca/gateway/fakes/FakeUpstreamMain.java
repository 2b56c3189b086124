package io.visca.gateway.fakes;

import java.util.concurrent.CountDownLatch;

/**
 * Runs a fake OpenAI-compatible upstream from the command line, for trying the gateway by hand and for benchmarks:
 *
 * <pre>
 * java -cp "fake-upstreams/target/classes:fake-upstreams/target/lib/*" io.visca.gateway.fakes.FakeUpstreamMain --port 18000 \
 *      [--api-key sk-test] [--models m1,m2] [--quiet]
 * </pre>
 */
public final class FakeUpstreamMain {

    public static void main(String[] args) throws InterruptedException {
        int port = 18000;
        String apiKey = null;
        String[] models = { "gpt-4o-mini" };
        boolean quiet = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--port" -> port = Integer.parseInt(args[++i]);
                case "--api-key" -> apiKey = args[++i];
                case "--models" -> models = args[++i].split(",");
                case "--quiet" -> quiet = true;
                default -> {
                    System.err.println("unknown argument: " + args[i]);
                    System.exit(2);
                }
            }
        }
        FakeOpenAiServer server = FakeOpenAiServer.start(port).models(models).recording(false);
        if (apiKey != null) {
            server.requireApiKey(apiKey);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "fake-upstream-stop"));
        if (!quiet) {
            System.out.println("fake OpenAI-compatible upstream on " + server.baseUrl());
        }
        new CountDownLatch(1).await();
    }

    private FakeUpstreamMain() {
    }
}
