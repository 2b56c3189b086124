package io.visca.gateway.billing.testing;

import static io.restassured.RestAssured.given;

import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;

import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;
import io.visca.gateway.contracts.quota.BudgetStatus;
import io.visca.gateway.contracts.quota.QuotaAnswer;
import io.visca.gateway.contracts.quota.QuotaExchange;

/**
 * The quota store as a router sees it ({@code /internal/quota} with the test profile's service token), and what its
 * tables hold (JDBC), for the quota tests.
 */
public final class QuotaApi {

    public static final String SERVICE_TOKEN = "test-service-token";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private QuotaApi() {
    }

    public static RequestSpecification internal() {
        return given().header("Authorization", "Bearer " + SERVICE_TOKEN);
    }

    /** One exchange over a real HTTP connection (any thread); fails unless the answer is a 200. */
    public static QuotaAnswer exchange(QuotaExchange exchange) {
        try {
            HttpResponse<String> response = post(exchange);
            if (response.statusCode() != 200) {
                throw new AssertionError("exchange answered " + response.statusCode() + ": " + response.body());
            }
            return UsageEvents.JSON.readValue(response.body(), QuotaAnswer.class);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static HttpResponse<String> post(QuotaExchange exchange) {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + RestAssured.port
                    + "/internal/quota")).header("Authorization", "Bearer " + SERVICE_TOKEN)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(UsageEvents.JSON.writeValueAsString(exchange))).build();
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static QuotaExchange.Ask budget(String ref, String scope, Instant window, String limit, String need,
            String want) {
        return new QuotaExchange.Ask(ref, scope, QuotaExchange.BUDGET, window, new BigDecimal(limit),
                new BigDecimal(need), new BigDecimal(want));
    }

    public static QuotaExchange.Ask rate(String ref, String scope, String kind, Instant window, long limit, long need,
            long want) {
        return new QuotaExchange.Ask(ref, scope, kind, window, BigDecimal.valueOf(limit), BigDecimal.valueOf(need),
                BigDecimal.valueOf(want));
    }

    public static QuotaExchange asks(String router, QuotaExchange.Ask... asks) {
        return new QuotaExchange(router, List.of(), List.of(), List.of(asks));
    }

    /** {@code GET /internal/quota/budgets} for the scopes in the window (a 200 expected). */
    public static List<BudgetStatus> budgets(Instant window, String... scopes) {
        RequestSpecification request = internal().queryParam("window_start", window.toString());
        for (String scope : scopes) {
            request = request.queryParam("scope", scope);
        }
        String body = request.get("/internal/quota/budgets").then().statusCode(200).extract().asString();
        try {
            return List.of(UsageEvents.JSON.readValue(body, BudgetStatus[].class));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A counter's columns: limit_usd, opening_spend, spent, committed; null when there is none. */
    public static BigDecimal[] counter(String scope, Instant window) {
        try (Connection c = Ledger.connect();
                PreparedStatement s = c.prepareStatement("select limit_usd, "
                        + "opening_spend, spent, committed from budget_counter where scope = ? and window_start = ?")) {
            s.setString(1, scope);
            s.setTimestamp(2, Timestamp.from(window));
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? new BigDecimal[] { rs.getBigDecimal(1), rs.getBigDecimal(2), rs.getBigDecimal(3),
                        rs.getBigDecimal(4) } : null;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The sums the counter must equal: opening_spend + Σ lease_charge, opening_spend + Σ settled. */
    public static BigDecimal[] leaseSums(String scope, Instant window) {
        try (Connection c = Ledger.connect(); PreparedStatement s = c.prepareStatement("""
                select c.opening_spend + coalesce(sum(lease_charge(l.amount, l.settled, l.used,
                           l.released_at is not null, l.reclaimed_at is not null)), 0),
                       c.opening_spend + coalesce(sum(l.settled), 0)
                from budget_counter c left join budget_lease l
                  on l.scope = c.scope and l.window_start = c.window_start
                where c.scope = ? and c.window_start = ?
                group by c.opening_spend""")) {
            s.setString(1, scope);
            s.setTimestamp(2, Timestamp.from(window));
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return new BigDecimal[] { rs.getBigDecimal(1), rs.getBigDecimal(2) };
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A lease's settled amount, or null when the store has no such lease. */
    public static BigDecimal settled(String leaseId) {
        try (Connection c = Ledger.connect();
                PreparedStatement s = c.prepareStatement(
                        "select settled from budget_lease where id = cast(? as uuid)")) {
            s.setString(1, leaseId);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? rs.getBigDecimal(1) : null;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
