package io.visca.gateway.billing.testing;

import static io.restassured.RestAssured.given;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

import io.restassured.specification.RequestSpecification;

/** Requests to the finance API with the tokens of the test profile. */
public final class FinanceApi {

    public static final String ADMIN_TOKEN = "test-admin-token";
    public static final String BILLING_TOKEN = "test-billing-token";

    private FinanceApi() {
    }

    public static RequestSpecification api() {
        return given().header("Authorization", "Bearer " + ADMIN_TOKEN);
    }

    /**
     * The start of {@code days} days in a row, between 2040 and 2089, that no other test picks: summaries over them
     * see only the events a test put there (the database lives as long as the test JVM).
     */
    public static synchronized Instant freshDays(int days) {
        while (true) {
            int start = ThreadLocalRandom.current().nextInt(50 * 365) / 16 * 16;
            if (USED.add(start)) {
                if (days > 16) {
                    throw new IllegalArgumentException("at most 16 days");
                }
                return LocalDate.of(2040, 1, 1).plusDays(start).atStartOfDay(ZoneOffset.UTC).toInstant();
            }
        }
    }

    private static final Set<Integer> USED = new HashSet<>();
}
