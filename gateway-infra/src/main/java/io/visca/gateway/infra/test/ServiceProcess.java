package io.visca.gateway.infra.test;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import io.visca.gateway.infra.Ports;

/**
 * A packaged Quarkus service ({@code target/quarkus-app/quarkus-run.jar}) run by a test as a process of its own,
 * exactly as it runs in production: configured only through environment variables, on a free port
 * ({@code QUARKUS_HTTP_PORT}) and a free management port ({@code QUARKUS_MANAGEMENT_PORT}: health, metrics, OpenAPI),
 * its output appended to {@code target/<name>-process.log}. {@link #start()} returns once the management port's
 * {@code /q/health/ready} answers 200. {@link #stop()} (SIGTERM), {@link #kill()} (SIGKILL), {@link #suspend()}
 * (SIGSTOP) and {@link #resume()} (SIGCONT), {@link #restart()} and {@link #launch()} (no waiting) serve outage tests
 * (the ports and environment stay); the process is stopped when the test JVM exits.
 *
 * <pre>{@code
 * ServiceProcess registry = new ServiceProcess("registry", ServiceProcess.jar("registry.jar"),
 *         Map.of("GATEWAY_SERVICE_TOKEN", "t", ...)).start();
 * registry.url(); // http://127.0.0.1:40123
 * registry.managementUrl(); // http://127.0.0.1:40124, for /q/health, /q/metrics
 * }</pre>
 */
public final class ServiceProcess {

    private static final Duration READY_WITHIN = Duration.ofSeconds(90);

    private final String name;
    private final Path jar;
    private final int port;
    private final int managementPort;
    /** Variables of this JVM's environment a service never inherits. */
    private static final Set<String> INHERITED_KEYS = Set.of("OPENAI_API_KEY", "ANTHROPIC_API_KEY",
            "GATEWAY_SECRETS_DIR", "GATEWAY_MANAGED_PROVIDERS_FILE");

    private final Map<String, String> environment;
    private final List<String> jvmOptions;
    private final Path log;
    private Process process;
    private boolean hooked;
    private boolean suspended;

    /**
     * @param name short name, for the log file and messages (e.g. {@code registry})
     * @param jar the service's {@code quarkus-run.jar} (see {@link #jar(String)})
     * @param environment the service's environment variables, on top of this JVM's own
     */
    /** An environment from name-value pairs, in order (as many as a service needs; {@code Map.of} takes 10). */
    public static Map<String, String> environment(String... nameValues) {
        if (nameValues.length % 2 != 0) {
            throw new IllegalArgumentException("names and values come in pairs");
        }
        Map<String, String> environment = new LinkedHashMap<>();
        for (int i = 0; i < nameValues.length; i += 2) {
            environment.put(nameValues[i], nameValues[i + 1]);
        }
        return environment;
    }

    public ServiceProcess(String name, Path jar, Map<String, String> environment) {
        this(name, jar, environment, List.of("-Xmx256m", "-XX:+UseParallelGC"));
    }

    /** As {@link #ServiceProcess(String, Path, Map)}, with the JVM options of the process. */
    public ServiceProcess(String name, Path jar, Map<String, String> environment, List<String> jvmOptions) {
        this.name = name;
        this.jar = jar;
        this.port = Ports.free();
        this.managementPort = Ports.free();
        this.environment = new LinkedHashMap<>(environment);
        this.environment.put("QUARKUS_HTTP_PORT", Integer.toString(port));
        this.environment.put("QUARKUS_MANAGEMENT_PORT", Integer.toString(managementPort));
        this.jvmOptions = List.copyOf(jvmOptions);
        this.log = Path.of("target", name + "-process.log").toAbsolutePath();
    }

    /**
     * The jar named by a system property (the module's surefire configuration sets it, e.g.
     * {@code -Dregistry.jar=../provider-registry-service/target/quarkus-app/quarkus-run.jar}).
     *
     * @throws IllegalStateException naming the property and the path when there is no such file
     */
    public static Path jar(String systemProperty) {
        String value = System.getProperty(systemProperty);
        if (value == null || !new File(value).isFile()) {
            throw new IllegalStateException("-D" + systemProperty + " names no packaged service jar (" + value
                    + "): build that module first (./mvnw verify builds the modules in order, or ./mvnw -pl <module> "
                    + "-am package -DskipTests)");
        }
        return Path.of(value).toAbsolutePath();
    }

    /** Starts the process (unless it runs) and waits until it is ready. */
    public synchronized ServiceProcess start() {
        launch();
        awaitReady();
        return this;
    }

    /** Starts the process (unless it runs) without waiting: a test can use it while it comes up. */
    public synchronized ServiceProcess launch() {
        if (process != null && process.isAlive()) {
            return this;
        }
        if (!hooked) {
            hooked = true;
            Runtime.getRuntime().addShutdownHook(new Thread(this::stop, name + "-process-stop"));
        }
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-jar");
        command.add(jar.toString());
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        // a developer's real provider keys never reach a service under test (the built-in openai and anthropic would
        // send test traffic to the real APIs); a test that wants a key passes it
        builder.environment().keySet().removeIf(INHERITED_KEYS::contains);
        builder.environment().putAll(environment);
        try {
            Files.createDirectories(log.getParent());
            process = builder.start();
        } catch (IOException e) {
            throw new IllegalStateException("starting the " + name + " process failed", e);
        }
        return this;
    }

    /** Kills the process with SIGKILL, as the OOM killer or a node failure would: no shutdown hook runs. */
    public synchronized void kill() {
        if (process == null) {
            return;
        }
        try {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process = null;
        suspended = false;
    }

    /**
     * Freezes the process with SIGSTOP, as a stuck VM, a long stop-the-world pause or a debugger would: it keeps its
     * sockets (the kernel still accepts connections and buffers requests) but answers nothing, runs no timer and sends
     * no heartbeat until {@link #resume()}.
     */
    public synchronized void suspend() {
        signal("STOP");
        suspended = true;
    }

    /** Lets a {@link #suspend() suspended} process run on (SIGCONT), where it stopped. */
    public synchronized void resume() {
        signal("CONT");
        suspended = false;
    }

    /**
     * Sends SIGTERM and returns at once, as Kubernetes does when it ends a pod: the process drains (what it accepted
     * finishes) while the caller goes on; {@link #awaitExit} waits for the end.
     */
    public synchronized void terminate() {
        signal("TERM");
    }

    /** Waits up to {@code within} for the process to exit (after {@link #terminate()}): whether it did. */
    public boolean awaitExit(Duration within) throws InterruptedException {
        Process running;
        synchronized (this) {
            running = process;
        }
        if (running == null || !running.waitFor(within.toMillis(), TimeUnit.MILLISECONDS)) {
            return running == null;
        }
        synchronized (this) {
            if (process == running) {
                process = null;
                suspended = false;
            }
        }
        return true;
    }

    private void signal(String signal) {
        if (process == null || !process.isAlive()) {
            throw new IllegalStateException("the " + name + " process does not run");
        }
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid()))
                    .redirectErrorStream(true).start();
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new IllegalStateException("kill -" + signal + " of the " + name + " process failed");
            }
        } catch (IOException e) {
            throw new IllegalStateException("kill -" + signal + " of the " + name + " process failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted signalling the " + name + " process", e);
        }
    }

    /** Stops the process (SIGTERM, then SIGKILL after 20 s); {@link #start()} or {@link #restart()} bring it back. */
    public synchronized void stop() {
        if (process == null) {
            return;
        }
        if (suspended && process.isAlive()) {
            resume(); // a stopped process would only act on SIGTERM once continued
        }
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process = null;
        suspended = false;
    }

    /** Stops it and starts it again, at the same URL with the same environment. */
    public synchronized ServiceProcess restart() {
        stop();
        return start();
    }

    public synchronized boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** The base URL, e.g. {@code http://127.0.0.1:40123}. */
    /** The name it was given ({@code router-2}, ...): its log is {@code target/<name>-process.log}. */
    public String name() {
        return name;
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    /** The management interface's base URL (health, metrics, OpenAPI), e.g. {@code http://127.0.0.1:40124}. */
    public String managementUrl() {
        return "http://127.0.0.1:" + managementPort;
    }

    /** The file the process writes its output to. */
    public Path log() {
        return log;
    }

    /** Waits until the launched process answers {@code /q/health/ready} with 200. */
    public void awaitReady() {
        Process process;
        synchronized (this) {
            process = this.process;
        }
        if (process == null) {
            throw new IllegalStateException("the " + name + " process was not launched");
        }
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        HttpRequest ready = HttpRequest.newBuilder(URI.create(managementUrl() + "/q/health/ready"))
                .timeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + READY_WITHIN.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the " + name + " process exited with " + process.exitValue() + "; see "
                        + log + ", which ends:\n" + logTail());
            }
            try {
                if (client.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted waiting for the " + name + " process", e);
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted waiting for the " + name + " process", e);
            }
        }
        throw new IllegalStateException("the " + name + " process was not ready within " + READY_WITHIN.toSeconds()
                + " s; see " + log + ", which ends:\n" + logTail());
    }

    /** The last lines of the log, so that a failed start says why where the build output is all there is (CI). */
    private String logTail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException | RuntimeException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }
}
