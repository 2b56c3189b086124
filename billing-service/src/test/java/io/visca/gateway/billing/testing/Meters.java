package io.visca.gateway.billing.testing;

import static io.restassured.RestAssured.given;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.visca.gateway.infra.test.ManagementInterface;

/** Billing's Prometheus meters as {@code /q/metrics} on the management port shows them. */
public final class Meters {

    private Meters() {
    }

    /** The first sample of a meter (any tags), 0 when it is not there. */
    public static double meter(String name) {
        String text = given().baseUri(ManagementInterface.url()).get("/q/metrics").then().statusCode(200).extract()
                .asString();
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + "(\\{[^}]*})? ([0-9.eE+-]+)$").matcher(text);
        return m.find() ? Double.parseDouble(m.group(2)) : 0;
    }
}
