package io.visca.gateway.infra.test;

import java.net.URI;

import io.quarkus.test.common.http.TestHTTPResourceManager;

/**
 * The management interface of the Quarkus application under test ({@code @QuarkusTest}): health, metrics, OpenAPI and
 * Swagger UI answer there, on a port of their own ({@code quarkus.management.test-port=0}), not on the API's port.
 *
 * <pre>{@code
 * given().baseUri(ManagementInterface.url()).get("/q/health/ready").then().statusCode(200);
 * }</pre>
 */
public final class ManagementInterface {

    private ManagementInterface() {
    }

    /**
     * Its base URL, e.g. {@code http://localhost:40123}, known once Quarkus has started (Quarkus's own
     * {@link TestHTTPResourceManager#getManagementUri()} ends with the management root path, {@code /q}).
     */
    public static String url() {
        URI uri = URI.create(TestHTTPResourceManager.getManagementUri());
        return uri.getScheme() + "://" + uri.getHost() + ":" + uri.getPort();
    }
}
