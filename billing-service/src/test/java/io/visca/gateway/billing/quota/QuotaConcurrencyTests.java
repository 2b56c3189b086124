package io.visca.gateway.billing.quota;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.visca.gateway.billing.testing.QuotaApi;
import io.visca.gateway.billing.testing.UsageEvents;
import io.visca.gateway.contracts.provider.BudgetPeriod;
import io.visca.gateway.contracts.quota.QuotaAnswer;
import io.visca.gateway.contracts.quota.QuotaExchange;

/**
 * Eight "routers" (threads, each with its own HTTP exchanges) hammer one budget and one rate at once: whatever the
 * interleaving, nothing is ever granted beyond the limit, and the counter is exactly the sum of its leases' charges.
 */
@QuarkusTest
class QuotaConcurrencyTests {

    private static final int ROUTERS = 8;
    private static final BigDecimal LIMIT = new BigDecimal("0.50");

    @Test
    void concurrentRoutersNeverCommitMoreThanTheBudget() throws Exception {
        String scope = "key:" + UsageEvents.unique("budget");
        Instant window = BudgetPeriod.MONTH.start(Instant.now());
        Queue<String> problems = new ConcurrentLinkedQueue<>();
        Queue<BigDecimal> used = new ConcurrentLinkedQueue<>();
        AtomicInteger refusals = new AtomicInteger();
        AtomicInteger grants = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(ROUTERS);
        List<Future<?>> routers = new ArrayList<>();
        for (int r = 0; r < ROUTERS; r++) {
            String router = "router-" + r;
            long seed = r * 7919L;
            routers.add(pool.submit(() -> {
                Random random = new Random(seed);
                List<QuotaAnswer.Grant> open = new ArrayList<>();
                for (int i = 0; i < 40; i++) {
                    // give back some leases, using a random part of each (as requests cost less than reserved)
                    List<QuotaExchange.Release> releases = new ArrayList<>();
                    while (!open.isEmpty() && random.nextInt(3) > 0) {
                        QuotaAnswer.Grant lease = open.remove(random.nextInt(open.size()));
                        BigDecimal spent = lease.granted().multiply(BigDecimal.valueOf(random.nextInt(101)))
                                .divide(BigDecimal.valueOf(100), 12, RoundingMode.DOWN);
                        releases.add(new QuotaExchange.Release(lease.leaseId(), spent));
                        used.add(spent);
                    }
                    BigDecimal need = BigDecimal.valueOf(1 + random.nextInt(50), 3); // $0.001 to $0.050
                    QuotaAnswer answer = QuotaApi.exchange(new QuotaExchange(router, releases,
                            open.stream().map(QuotaAnswer.Grant::leaseId).toList(),
                            List.of(QuotaApi.budget("b" + i, scope, window, "0.50", need.toPlainString(),
                                    need.multiply(BigDecimal.valueOf(3)).toPlainString()))));
                    QuotaAnswer.Grant grant = answer.grants().get(0);
                    if (grant.committed().compareTo(LIMIT) > 0) {
                        problems.add(router + " saw committed " + grant.committed());
                    }
                    if (!answer.expired().isEmpty()) {
                        problems.add(router + " lost leases " + answer.expired());
                    }
                    if (grant.leaseId() == null) {
                        refusals.incrementAndGet();
                        if (grant.granted().signum() != 0) {
                            problems.add(router + " was granted " + grant.granted() + " without a lease");
                        }
                    } else {
                        grants.incrementAndGet();
                        if (grant.granted().compareTo(need) < 0 || grant.granted().compareTo(need.multiply(
                                BigDecimal.valueOf(3))) > 0) {
                            problems.add(router + " was granted " + grant.granted() + " for need " + need);
                        }
                        open.add(grant);
                    }
                }
                List<QuotaExchange.Release> rest = new ArrayList<>();
                for (QuotaAnswer.Grant lease : open) {
                    rest.add(new QuotaExchange.Release(lease.leaseId(), lease.granted()));
                    used.add(lease.granted());
                }
                QuotaApi.exchange(new QuotaExchange(router, rest, List.of(), List.of()));
            }));
        }
        for (Future<?> router : routers) {
            router.get(3, TimeUnit.MINUTES);
        }
        pool.shutdown();

        assertTrue(problems.isEmpty(), String.join("\n", problems));
        assertTrue(refusals.get() > 0, "the routers asked for far more than $0.50: some asks were refused");
        assertTrue(grants.get() > ROUTERS, "and many were granted");
        BigDecimal[] counter = QuotaApi.counter(scope, window);
        BigDecimal[] sums = QuotaApi.leaseSums(scope, window);
        assertEquals(0, counter[3].compareTo(sums[0]), "committed " + counter[3] + " = Σ lease charges " + sums[0]);
        BigDecimal totalUsed = used.stream().reduce(BigDecimal.ZERO, BigDecimal::add);
        assertEquals(0, counter[3].compareTo(totalUsed), "every lease released: committed is what they used");
        assertTrue(counter[3].compareTo(LIMIT) <= 0, "committed " + counter[3] + " within the limit");
        assertEquals(0, counter[0].compareTo(LIMIT), "the limit as the routers gave it");
    }

    @Test
    void concurrentRoutersNeverGrantMoreRequestsThanTheMinuteAllows() throws Exception {
        String scope = "key:" + UsageEvents.unique("rate");
        Instant minute = Instant.now().truncatedTo(ChronoUnit.MINUTES);
        AtomicInteger granted = new AtomicInteger();
        Queue<String> problems = new ConcurrentLinkedQueue<>();
        ExecutorService pool = Executors.newFixedThreadPool(ROUTERS);
        List<Future<?>> routers = new ArrayList<>();
        for (int r = 0; r < ROUTERS; r++) {
            String router = "router-" + r;
            routers.add(pool.submit(() -> {
                for (int i = 0; i < 30; i++) {
                    QuotaAnswer answer = QuotaApi.exchange(QuotaApi.asks(router,
                            QuotaApi.rate("r", scope, QuotaExchange.REQUESTS, minute, 600, 1, 5),
                            QuotaApi.rate("t", scope, QuotaExchange.TOKENS, minute, 100_000, 0, 1_000)));
                    QuotaAnswer.Grant requests = answer.grants().get(0);
                    granted.addAndGet(requests.granted().intValueExact());
                    if (requests.committed().compareTo(BigDecimal.valueOf(600)) > 0) {
                        problems.add(router + " saw " + requests.committed() + " requests committed");
                    }
                    if (!"t".equals(answer.grants().get(1).ref())) {
                        problems.add("grants out of the asks' order");
                    }
                }
            }));
        }
        for (Future<?> router : routers) {
            router.get(3, TimeUnit.MINUTES);
        }
        pool.shutdown();

        assertTrue(problems.isEmpty(), String.join("\n", problems));
        // 8 routers × 30 asks × up to 5 = 1,200 wanted: exactly the 600 the minute allows were granted
        assertEquals(600, granted.get());
        QuotaAnswer after = QuotaApi.exchange(QuotaApi.asks("late",
                QuotaApi.rate("r", scope, QuotaExchange.REQUESTS, minute, 600, 1, 1)));
        assertEquals(0, after.grants().get(0).granted().signum(), "the minute is used up");
        assertEquals(0, after.grants().get(0).committed().compareTo(BigDecimal.valueOf(600)));
    }
}
