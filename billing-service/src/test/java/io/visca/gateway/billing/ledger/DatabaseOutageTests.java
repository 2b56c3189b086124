package io.visca.gateway.billing.ledger;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.visca.gateway.billing.testing.EventBuilder;
import io.visca.gateway.billing.testing.FinanceApi;
import io.visca.gateway.billing.testing.Ledger;
import io.visca.gateway.billing.testing.Meters;
import io.visca.gateway.billing.testing.OutagePostgresResource;
import io.visca.gateway.billing.testing.QuotaApi;
import io.visca.gateway.billing.testing.UsageEvents;
import io.visca.gateway.contracts.event.Topics;
import io.visca.gateway.contracts.event.UsageRecorded;
import io.visca.gateway.contracts.quota.QuotaAnswer;
import io.visca.gateway.infra.test.GatewayInfraResource;
import io.visca.gateway.infra.test.ManagementInterface;

/**
 * PostgreSQL really stops (its own embedded server) while events keep coming: billing goes unready, retries the
 * batch with backoff and commits no offset past it; once the server is back every event is stored, exactly once,
 * the offsets move on and billing is ready again. Meanwhile the quota store answers 503, and grants again after.
 */
@QuarkusTest
@TestProfile(DatabaseOutageTests.OwnDatabase.class)
class DatabaseOutageTests {

    /** The shared Kafka broker, and a database server that this test may stop. */
    public static class OwnDatabase implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(GatewayInfraResource.class),
                    new TestResourceEntry(OutagePostgresResource.class));
        }

        @Override
        public boolean disableGlobalTestResources() {
            return true;
        }
    }

    @Test
    void eventsPublishedWhilePostgresIsDownAreStoredOnceItIsBackAndNotCommittedBefore() throws Exception {
        String key = UsageEvents.unique("key");
        Instant day = FinanceApi.freshDays(1);
        UsageRecorded before = EventBuilder.event().key(key).at(day).tokens(7, 3, 0).cost("0.0007", "0.0003").build();
        UsageEvents.send(before);
        await().atMost(Duration.ofSeconds(30)).until(() -> Ledger.rawRows(key) == 1);

        OutagePostgresResource.stopPostgres();
        try {
            await().atMost(Duration.ofSeconds(30))
                    .untilAsserted(() -> given().baseUri(ManagementInterface.url()).get("/q/health/ready").then()
                            .statusCode(503));
            double failures = Meters.meter("billing_db_write_failures_total");
            List<UsageRecorded> during = new ArrayList<>();
            long firstOffset = -1;
            for (int i = 1; i <= 5; i++) {
                UsageRecorded e = EventBuilder.event().key(key).at(day.plusSeconds(60L * i)).tokens(100L * i, i, 0)
                        .cost("0.00" + i, "0.000" + i).reported("0.01").build();
                during.add(e);
                long offset = UsageEvents.await(UsageEvents.sendRaw(e.requestId(), UsageEvents.json(e))).offset();
                firstOffset = firstOffset < 0 ? offset : firstOffset;
            }
            // the batch is tried again and again (the test profile backs off 0.2 s to 1 s)
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> Meters.meter("billing_db_write_failures_total") >= failures + 3);
            long committed = committedOffset();
            assertTrue(committed <= firstOffset, "no offset is committed past the batch that is not stored: "
                    + committed + " > " + firstOffset);
            given().baseUri(ManagementInterface.url()).get("/q/health/ready").then().statusCode(503);
            // the quota store cannot answer either: a 503 in billing's shape, and routers keep what they leased
            QuotaApi.internal().contentType("application/json").body(UsageEvents.JSON.writeValueAsString(
                    QuotaApi.asks("router", QuotaApi.budget("b", "key:" + key, day, "1", "0.1", "0.1"))))
                    .post("/internal/quota").then().statusCode(503)
                    .body("error.code", equalTo("quota_store_unavailable"));

            OutagePostgresResource.startPostgres();
            long lastOffset = firstOffset + 4;
            await().atMost(Duration.ofSeconds(60)).until(() -> Ledger.rawRows(key) == 6);
            await().atMost(Duration.ofSeconds(30)).until(() -> committedOffset() > lastOffset);
            await().atMost(Duration.ofSeconds(30))
                    .untilAsserted(() -> given().baseUri(ManagementInterface.url()).get("/q/health/ready").then()
                            .statusCode(200));
        } finally {
            OutagePostgresResource.startPostgres();
        }
        assertEquals(6, Ledger.rolledUpRequests(key));
        // and once PostgreSQL is back the store grants again (the counter opens with the ledger's spend: 0.0175)
        QuotaAnswer answer = QuotaApi.exchange(QuotaApi.asks("router",
                QuotaApi.budget("b", "key:" + key, day, "1", "0.1", "0.1")));
        assertEquals(0, new BigDecimal("0.1175").compareTo(answer.grants().get(0).committed()));
        FinanceApi.api().queryParam("from", day.toString()).queryParam("to", day.plus(Duration.ofDays(1)).toString())
                .get("/api/usage/summary").then().statusCode(200)
                .body("rows[0].requests", equalTo(6))
                .body("rows[0].prompt_tokens", equalTo(7 + 100 + 200 + 300 + 400 + 500))
                .body("rows[0].completion_tokens", equalTo(3 + 15))
                .body("rows[0].total_cost", equalTo("0.0175"))
                .body("rows[0].reported_cost", equalTo("0.05"));
    }

    /** The committed offset of billing's consumer group on usage-recorded (0 when none). */
    private static long committedOffset() throws Exception {
        String group = ConfigProvider.getConfig().getValue("mp.messaging.incoming.usage-recorded.group.id",
                String.class);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class)))) {
            OffsetAndMetadata offset = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata()
                    .get(10, TimeUnit.SECONDS).get(new TopicPartition(Topics.USAGE_RECORDED, 0));
            return offset == null ? 0 : offset.offset();
        }
    }
}
