package io.visca.gateway.billing.alert.service;

import java.net.ConnectException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.mutiny.core.Vertx;
import io.visca.gateway.billing.alert.mapping.WebhookPayload;
import io.visca.gateway.billing.alert.repository.BudgetAlertRepository;
import io.visca.gateway.billing.alert.repository.BudgetAlertRepository.Alert;
import io.visca.gateway.billing.config.BillingConfig;
import io.visca.gateway.outbound.OutboundGuard;
import io.visca.gateway.outbound.OutboundRefusedException;

/**
 * Posts recorded budget alerts to {@code BUDGET_ALERT_WEBHOOK_URL}, every {@code billing.alerts.delivery-interval},
 * apart from ingest (the ledger only records them, so a slow or dead receiver never holds up a batch).
 * <p>
 * <b>At least once.</b> A run claims due alerts ({@code for update skip locked}, so several billing instances share
 * the work) and holds them for the run's longest time (a timeout per alert), posting them one by one, oldest first; a 2xx marks
 * it delivered, anything else (another status, a
 * timeout, a refused or failed connection) schedules the next attempt after a backoff doubling from
 * {@code initial-backoff} to {@code max-backoff}, for as long as it takes. A receiver that took a post but whose
 * answer was lost (or a billing that stopped before marking it) gets it again: it de-duplicates on {@code id}, the
 * same for one crossing however often it is posted.
 * <p>
 * Each post goes to the address the outbound URL policy allowed ({@link OutboundGuard}, {@code GATEWAY_OUTBOUND_*}),
 * bounded by {@code billing.alerts.timeout}, redirects not followed. With {@code BUDGET_ALERT_WEBHOOK_SECRET} the body
 * is signed: {@code x-visca-signature: sha256=<hex HMAC-SHA256 of the body>}. The URL and the secret are never logged.
 */
@Startup
@ApplicationScoped
public class BudgetAlertDelivery {

    private static final Logger LOG = Logger.getLogger(BudgetAlertDelivery.class);
    /**
     * Added to the time a run may take (one timeout per alert) while its alerts are claimed, so a slow run never lets
     * another instance post them meanwhile.
     */
    private static final Duration CLAIM_MARGIN = Duration.ofSeconds(30);

    private final BudgetAlertRepository alerts;
    private final ObjectMapper json;
    private final BillingConfig.Alerts config;
    private final WebhookTarget target;
    private final OutboundGuard outbound;
    private final HttpClient client;
    private final SecretKeySpec signingKey;
    private final Counter delivered;
    private final Counter failed;
    private final AtomicLong failedRuns = new AtomicLong();

    BudgetAlertDelivery(Vertx vertx, BudgetAlertRepository alerts, ObjectMapper json, BillingConfig config,
            MeterRegistry registry) {
        this.alerts = alerts;
        this.json = json;
        this.config = config.alerts();
        this.target = this.config.webhookUrl().filter(url -> !url.isBlank()).map(WebhookTarget::parse).orElse(null);
        this.signingKey = this.config.webhookSecret().filter(s -> !s.isEmpty())
                .map(s -> new SecretKeySpec(s.getBytes(StandardCharsets.UTF_8), "HmacSHA256")).orElse(null);
        this.delivered = Counter.builder("billing.budget.alert.deliveries").tag("outcome", "delivered")
                .description("budget alert posts to the webhook, by outcome").register(registry);
        this.failed = Counter.builder("billing.budget.alert.deliveries").tag("outcome", "failed")
                .description("budget alert posts to the webhook, by outcome").register(registry);
        if (target == null) {
            this.outbound = null;
            this.client = null;
            LOG.info("BUDGET_ALERT_WEBHOOK_URL is not set: budget alerts are recorded (GET /api/budget-alerts), "
                    + "not posted");
            return;
        }
        this.outbound = new OutboundGuard(vertx.getDelegate(), config.outbound().policy(), Duration.ofSeconds(30));
        checkPolicy();
        int timeout = (int) this.config.timeout().toMillis();
        this.client = vertx.getDelegate().createHttpClient(new HttpClientOptions().setConnectTimeout(timeout)
                .setIdleTimeout(timeout).setIdleTimeoutUnit(TimeUnit.MILLISECONDS).setMaxPoolSize(4)
                .setKeepAlive(true));
        LOG.infof("budget alerts are posted to %s%s", target, signingKey == null ? "" : ", signed");
    }

    /** At start: an address the policy refuses fails the start (a name that does not resolve yet passes). */
    private void checkPolicy() {
        try {
            outbound.check(target.host()).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof OutboundRefusedException refused) {
                throw new IllegalStateException("BUDGET_ALERT_WEBHOOK_URL: " + refused.getMessage());
            }
            LOG.warnf("could not check the budget alert webhook's host against the outbound URL policy now (%s); "
                    + "every post is checked", describe(e.getCause()));
        } catch (TimeoutException e) {
            LOG.warn("looking up the budget alert webhook's host took over 10s; every post is checked");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Scheduled(identity = "budget-alert-delivery", every = "${billing.alerts.delivery-interval:5s}", delayed = "1s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduled() {
        if (target == null) {
            return Uni.createFrom().voidItem();
        }
        return run(Instant.now()).invoke(() -> failedRuns.set(0)).onFailure().invoke(e -> {
            long n = failedRuns.incrementAndGet();
            // every failure while they are few, then one in 60: a database outage must not flood the log
            if (n <= 3 || n % 60 == 0) {
                LOG.warnf("a budget alert delivery run failed (%s, %d in a row); the next run tries again",
                        describe(e), n);
            }
        }).onFailure().recoverWithNull().replaceWithVoid();
    }

    /**
     * One run as of {@code now}: posts the due alerts one after the other, oldest first (so a healthy receiver gets a
     * budget's 50 % before its 80 %); returns how many were delivered.
     */
    public Uni<Integer> run(Instant now) {
        Duration hold = config.timeout().multipliedBy(config.batchSize()).plus(CLAIM_MARGIN);
        return alerts.claim(now, now.plus(hold), config.batchSize())
                .chain(due -> Multi.createFrom().iterable(due).onItem().transformToUniAndConcatenate(this::deliver)
                        .collect().asList().map(outcomes -> (int) outcomes.stream().filter(ok -> ok).count()));
    }

    private Uni<Boolean> deliver(Alert alert) {
        return post(alert).chain(error -> {
            Instant now = Instant.now();
            if (error == null) {
                delivered.increment();
                return alerts.delivered(alert.seq(), now).replaceWith(true);
            }
            failed.increment();
            Duration backoff = backoff(alert.attempts());
            LOG.warnf("posting budget alert %s (%s, %d%%) failed: %s (attempt %d); next attempt in %s", alert.id(),
                    alert.scope(), alert.threshold(), error, alert.attempts() + 1, backoff);
            return alerts.failed(alert.seq(), now.plus(backoff), error).replaceWith(false);
        });
    }

    /** Posts one alert; null when the receiver took it (2xx), else why not. Never fails. */
    private Uni<String> post(Alert alert) {
        byte[] body;
        try {
            body = json.writeValueAsBytes(WebhookPayload.of(alert));
        } catch (JsonProcessingException e) {
            return Uni.createFrom().item("could not write the alert as JSON");
        }
        long timeout = config.timeout().toMillis();
        RequestOptions request = new RequestOptions().setMethod(HttpMethod.POST).setAbsoluteURI(target.url())
                .setFollowRedirects(false).setConnectTimeout(timeout).setIdleTimeout(timeout)
                .putHeader("content-type", "application/json")
                .putHeader("user-agent", "visca-gateway-billing/budget-alerts")
                .putHeader("x-visca-alert-id", alert.id());
        if (signingKey != null) {
            request.putHeader("x-visca-signature", "sha256=" + sign(body));
        }
        Future<Integer> status = outbound.server(target.host(), target.port())
                .compose(server -> client.request(request.setServer(server)))
                .compose(req -> req.send(Buffer.buffer(body))
                        .compose(response -> response.end().map(done -> response.statusCode())));
        return Uni.createFrom().completionStage(status.toCompletionStage())
                .ifNoItem().after(config.timeout()).failWith(TimeoutException::new)
                .map(code -> code >= 200 && code < 300 ? (String) null : "HTTP " + code)
                .onFailure().recoverWithItem(this::describe);
    }

    private String sign(byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(signingKey);
            return HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    /** {@code initial-backoff} doubled per failure so far, at most {@code max-backoff}. */
    Duration backoff(int failuresBefore) {
        Duration backoff = config.initialBackoff().multipliedBy(1L << Math.min(failuresBefore, 20));
        return backoff.compareTo(config.maxBackoff()) > 0 ? config.maxBackoff() : backoff;
    }

    /** Why a post failed, for the log and the API: no URL, no class name, no message that could quote either. */
    private String describe(Throwable failure) {
        if (failure instanceof OutboundRefusedException refused) {
            return refused.withoutAddress();
        }
        if (failure instanceof TimeoutException || failure instanceof io.netty.channel.ConnectTimeoutException) {
            return "no answer within " + config.timeout().toMillis() + " ms";
        }
        if (failure instanceof UnknownHostException) {
            return "the webhook's host name does not resolve";
        }
        if (failure instanceof ConnectException) {
            return "could not connect to the webhook";
        }
        return "the connection failed before an answer";
    }

    @PreDestroy
    void close() {
        if (client != null) {
            client.close();
            outbound.close();
        }
    }
}
