package io.visca.gateway.billing;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import io.visca.gateway.billing.testing.EventBuilder;
import io.visca.gateway.billing.testing.UsageEvents;
import io.visca.gateway.contracts.event.UsageRecorded;
import io.visca.gateway.infra.test.GatewayInfraResource;
import io.visca.gateway.infra.test.ServiceProcess;

/**
 * Billing as other modules' end-to-end tests run it: the packaged jar ({@code -Dbilling.jar}) as a process of its
 * own, configured only by DB_URL, DB_USER, DB_PASSWORD, KAFKA_BOOTSTRAP_SERVERS, GATEWAY_ADMIN_TOKEN,
 * QUARKUS_HTTP_PORT and QUARKUS_MANAGEMENT_PORT. It migrates its database, becomes ready, and a consumer group without
 * offsets reads the topic from its first event, so events published before billing ever ran are billed too. Health,
 * metrics and OpenAPI answer on the management port only. Without a database password it does not start.
 */
class BillingProcessIT {

    private static ServiceProcess billing;

    @Test
    void runsFromItsJarOnTheEnvironmentAloneAndBillsEventsPublishedBeforeItStarted() {
        String kafka = GatewayInfraResource.kafkaBootstrapServers();
        Map<String, String> db = GatewayInfraResource.database("billing_it");
        UsageEvents.useBroker(kafka);
        String key = UsageEvents.unique("key");
        Instant at = Instant.now().minus(Duration.ofHours(2));
        List<UsageRecorded> events = List.of(
                EventBuilder.event().key(key).at(at).tokens(1000, 100, 0).cost("0.0025", "0.001").build(),
                EventBuilder.event().key(key).at(at.plusSeconds(1)).tokens(500, 50, 0).cost("0.00125", "0.0005")
                        .build(),
                EventBuilder.event().key(key).at(at.plusSeconds(2)).status("error").tokens(0, 0, 0).build());
        UsageEvents.send(events);

        billing = new ServiceProcess("billing", ServiceProcess.jar("billing.jar"), Map.of("DB_URL", db.get("url"),
                "DB_USER", db.get("user"), "DB_PASSWORD", db.get("password"), "KAFKA_BOOTSTRAP_SERVERS", kafka,
                "GATEWAY_ADMIN_TOKEN", "it-admin-token",
                // a group of its own: a fresh group starts from the topic's first event
                "BILLING_CONSUMER_GROUP", "billing-it-" + UUID.randomUUID())).start();

        given().baseUri(billing.managementUrl()).get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().baseUri(billing.url())
                .header("Authorization", "Bearer it-admin-token").queryParam("api_key", key)
                .get("/api/usage/summary").then().statusCode(200)
                .body("rows[0].requests", equalTo(3))
                .body("rows[0].errors", equalTo(1))
                .body("rows[0].total_tokens", equalTo(1650))
                .body("rows[0].total_cost", equalTo("0.00525")));
        given().baseUri(billing.url()).get("/api/usage/summary").then().statusCode(401);
        given().baseUri(billing.managementUrl()).get("/q/metrics").then().statusCode(200)
                .body(containsString("billing_events_ingested_total"));
        given().baseUri(billing.managementUrl()).get("/q/openapi").then().statusCode(200)
                .body(containsString("/api/usage/summary"), containsString("next_cursor"));
        for (String path : List.of("/q/health/ready", "/q/metrics", "/q/openapi", "/q/swagger-ui/")) {
            given().baseUri(billing.url()).get(path).then().statusCode(404);
        }
    }

    @Test
    void refusesToStartWithoutADatabasePassword() throws Exception {
        Map<String, String> db = GatewayInfraResource.database("billing_it");
        ServiceProcess withoutPassword = new ServiceProcess("billing-no-db-password",
                ServiceProcess.jar("billing.jar"), Map.of("DB_URL", db.get("url"), "DB_USER", db.get("user"),
                        // empty, which overrides a DB_PASSWORD this JVM may have (an unset one fails the start too)
                        "DB_PASSWORD", "", "KAFKA_BOOTSTRAP_SERVERS", GatewayInfraResource.kafkaBootstrapServers(),
                        "GATEWAY_ADMIN_TOKEN", "it-admin-token"));
        Files.deleteIfExists(withoutPassword.log());
        try {
            IllegalStateException refused = assertThrows(IllegalStateException.class, withoutPassword::start);
            assertTrue(refused.getMessage().contains("exited"), refused.getMessage());
            assertTrue(
                    Files.readString(withoutPassword.log())
                            .contains("billing.database.password is defined as the empty String"),
                    "the log names the empty password");
        } finally {
            withoutPassword.stop();
        }
    }

    @Test
    void refusesToStartWithAWebhookUrlThatIsNotHttp() throws Exception {
        Map<String, String> db = GatewayInfraResource.database("billing_it");
        ServiceProcess ftpHook = new ServiceProcess("billing-ftp-webhook", ServiceProcess.jar("billing.jar"),
                Map.of("DB_URL", db.get("url"), "DB_USER", db.get("user"), "DB_PASSWORD", db.get("password"),
                        "KAFKA_BOOTSTRAP_SERVERS", GatewayInfraResource.kafkaBootstrapServers(),
                        "GATEWAY_ADMIN_TOKEN", "it-admin-token",
                        "BUDGET_ALERT_WEBHOOK_URL", "ftp://hooks.example.com/it-secret-path"));
        Files.deleteIfExists(ftpHook.log());
        try {
            IllegalStateException refused = assertThrows(IllegalStateException.class, ftpHook::start);
            assertTrue(refused.getMessage().contains("exited"), refused.getMessage());
            String log = Files.readString(ftpHook.log());
            assertTrue(log.contains("BUDGET_ALERT_WEBHOOK_URL (billing.alerts.webhook-url) must be an absolute "
                    + "http:// or https:// URL, not a ftp: one"), "the log says why");
            assertFalse(log.contains("it-secret-path"), "and never shows the URL");
        } finally {
            ftpHook.stop();
        }
    }

    @AfterAll
    static void stop() {
        if (billing != null) {
            billing.stop();
        }
    }
}
