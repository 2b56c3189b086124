package io.visca.gateway.billing.quota;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.visca.gateway.billing.testing.EventBuilder;
import io.visca.gateway.billing.testing.FinanceApi;
import io.visca.gateway.billing.testing.Ledger;
import io.visca.gateway.billing.testing.Meters;
import io.visca.gateway.billing.testing.QuotaApi;
import io.visca.gateway.billing.testing.UsageEvents;
import io.visca.gateway.contracts.event.UsageRecorded;
import io.visca.gateway.contracts.provider.BudgetPeriod;
import io.visca.gateway.contracts.quota.BudgetStatus;
import io.visca.gateway.contracts.quota.QuotaAnswer;
import io.visca.gateway.contracts.quota.QuotaExchange;

/**
 * Settlement from the ledger: usage events arriving through the real usage-recorded topic settle the budget leases
 * they name, once each however often they are delivered, so a counter's spend is exactly what the ledger billed.
 */
@QuarkusTest
class QuotaSettlementTests {

    @Test
    void eventsSettleTheirLeasesOnceAndSpentEqualsTheLedger() {
        String key = UsageEvents.unique("key");
        String team = UsageEvents.unique("team");
        Instant now = Instant.now();
        Instant window = BudgetPeriod.DAY.start(now);
        QuotaAnswer answer = QuotaApi.exchange(QuotaApi.asks("router-a",
                QuotaApi.budget("k", "key:" + key, window, "10", "0.5", "1"),
                QuotaApi.budget("t", "team:" + team, window, "100", "0.5", "1")));
        String keyLease = answer.grants().get(0).leaseId();
        String teamLease = answer.grants().get(1).leaseId();
        assertNotNull(keyLease);
        assertNotNull(teamLease);
        assertEquals(0, answer.grants().get(0).granted().compareTo(BigDecimal.ONE), "alone: all it wants");
        double unknownBefore = Meters.meter("billing_settlement_unknown_leases_total");

        List<UsageRecorded> events = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            events.add(EventBuilder.event().key(key).team(team).at(now).cost("0.0" + (i + 1), "0.00" + (i + 1))
                    .leases(keyLease, teamLease).build());
        }
        // a model without prices: billed 0, settles 0
        events.add(EventBuilder.event().key(key).team(team).at(now).cost(null, null).leases(keyLease, teamLease)
                .build());
        UsageRecorded strays = EventBuilder.event().key(key).team(team).at(now).cost("0.1", "0")
                .leases(keyLease, UUID.randomUUID().toString(), "not-a-lease").build();
        events.add(strays);
        UsageEvents.send(events);
        // delivered again (a redelivery, the router's spool replaying it): stored and settled once
        UsageEvents.send(events.get(0), events.get(3), strays);
        UsageRecorded marker = EventBuilder.event().key(key).team(team).at(now).cost("0", "0").build();
        UsageEvents.send(marker);
        await().atMost(Duration.ofSeconds(30)).until(() -> Ledger.rawRows(key) == 8);

        // 0.011 + 0.022 + ... + 0.055 = 0.165, and the stray event's 0.1 on the key's lease only
        assertEquals(0, new BigDecimal("0.265").compareTo(QuotaApi.settled(keyLease)));
        assertEquals(0, new BigDecimal("0.165").compareTo(QuotaApi.settled(teamLease)));
        BigDecimal ledger = new BigDecimal(FinanceApi.api().queryParam("api_key", key)
                .queryParam("from", window.toString()).queryParam("to", window.plus(Duration.ofDays(1)).toString())
                .get("/api/usage/summary").then().statusCode(200).extract().path("rows[0].total_cost").toString());
        BigDecimal[] keyCounter = QuotaApi.counter("key:" + key, window);
        assertEquals(0, ledger.compareTo(keyCounter[2]), "spent " + keyCounter[2] + " = the ledger's " + ledger);
        assertEquals(0, BigDecimal.ONE.compareTo(keyCounter[3]), "an open lease counts its whole amount");
        assertEquals(2.0, Meters.meter("billing_settlement_unknown_leases_total") - unknownBefore, 0.0,
                "the unknown lease and the id that is no lease id are counted");

        // released with what the router saw used: the charge is what was billed
        QuotaAnswer released = QuotaApi.exchange(new QuotaExchange("router-a",
                List.of(new QuotaExchange.Release(keyLease, new BigDecimal("0.265")),
                        new QuotaExchange.Release(teamLease, new BigDecimal("0.165"))),
                List.of(), List.of()));
        assertEquals(List.of(), released.expired());
        keyCounter = QuotaApi.counter("key:" + key, window);
        assertEquals(0, keyCounter[3].compareTo(keyCounter[2]), "nothing reserved once released and settled");
        BigDecimal[] sums = QuotaApi.leaseSums("team:" + team, window);
        BigDecimal[] teamCounter = QuotaApi.counter("team:" + team, window);
        assertEquals(0, teamCounter[3].compareTo(sums[0]));
        assertEquals(0, teamCounter[2].compareTo(sums[1]));

        List<BudgetStatus> statuses = QuotaApi.budgets(window, "key:" + key, "team:" + team);
        assertEquals("key:" + key, statuses.get(0).scope());
        assertEquals(new BigDecimal("0.265"), statuses.get(0).spentUsd());
        assertEquals(BigDecimal.ZERO, statuses.get(0).reservedUsd());
        assertEquals(new BigDecimal("0.165"), statuses.get(1).spentUsd());
    }

    @Test
    void aNewCounterOpensWithTheLedgersSpendOfThePeriod() {
        String key = UsageEvents.unique("key");
        String team = UsageEvents.unique("team");
        Instant now = Instant.now();
        Instant window = BudgetPeriod.MONTH.start(now);
        // spent before any budget: in this period and in the one before
        UsageEvents.send(EventBuilder.event().key(key).team(team).at(now).cost("0.3", "0.1").build(),
                EventBuilder.event().key(key).at(now).cost("0.05", "0").build(),
                EventBuilder.event().key(key).team(team).at(window.minusSeconds(1)).cost("7", "0").build());
        await().atMost(Duration.ofSeconds(30)).until(() -> Ledger.rawRows(key) == 3);

        List<BudgetStatus> statuses = QuotaApi.budgets(window, "key:" + key, "team:" + team);
        assertEquals(new BigDecimal("0.45"), statuses.get(0).spentUsd(), "the ledger's spend, no counter yet");
        assertEquals(BigDecimal.ZERO, statuses.get(0).reservedUsd());
        assertEquals(new BigDecimal("0.4"), statuses.get(1).spentUsd());
        assertNull(QuotaApi.counter("key:" + key, window), "a status query makes no counter");

        QuotaAnswer answer = QuotaApi.exchange(QuotaApi.asks("router-a",
                QuotaApi.budget("k", "key:" + key, window, "0.5", "0.04", "0.2"),
                QuotaApi.budget("k2", "key:" + key, window, "0.5", "0.01", "0.2")));
        assertEquals(0, new BigDecimal("0.05").compareTo(answer.grants().get(0).granted()), "0.5 - 0.45 left");
        assertEquals(0, new BigDecimal("0.5").compareTo(answer.grants().get(0).committed()));
        assertNull(answer.grants().get(1).leaseId(), "nothing left for the second ask");
        assertEquals(0, answer.grants().get(1).granted().signum());
    }
}
