package io.visca.gateway.billing.ledger;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.visca.gateway.billing.testing.Ledger;
import io.visca.gateway.billing.testing.UsageEvents;
import io.visca.gateway.contracts.event.UsageRecorded;

@QuarkusTest
class LedgerSmokeTests {

    @Test
    void storesEachEventOnce() {
        String key = UsageEvents.unique("key");
        Instant at = Instant.parse("2030-01-01T10:15:00Z");
        UsageRecorded a = UsageEvents.event(key, "openai", "gpt-4o", at, 100, 20, "0.001", "0.002", "0.0031");
        UsageRecorded b = UsageEvents.event(key, "openai", "gpt-4o", at, 10, 2, "0.0001", "0.0002", null);
        UsageEvents.send(a, b, a);
        await().atMost(Duration.ofSeconds(30)).until(() -> Ledger.rawRows(key) == 2);
        assertEquals(2, Ledger.rolledUpRequests(key));
    }
}
