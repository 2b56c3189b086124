package io.visca.gateway.health.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.visca.gateway.health.testing.MonitorTestResource;

/**
 * The token throttle through the real HTTP server: requests come from other loopback addresses (127.0.0.x), so the
 * server sees distinct clients and the other tests (from 127.0.0.1) are not affected.
 */
@QuarkusTest
class ServiceTokenThrottleTests {

    /** One HTTP/1.1 exchange from {@code source}: the status line, the headers and the body. */
    static String call(String source, String path, String token) throws IOException {
        try (Socket socket = new Socket()) {
            socket.bind(new InetSocketAddress(source, 0));
            socket.connect(new InetSocketAddress("127.0.0.1", RestAssured.port), 5000);
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                    + (token == null ? "" : "Authorization: Bearer " + token + "\r\n") + "\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    static int status(String response) {
        return Integer.parseInt(response.substring(9, 12));
    }

    @Test
    void theEleventhWrongTokenFromAnAddressGets429WithRetryAfterEvenWithTheRightToken() throws IOException {
        String guesser = "127.0.0.2";
        for (int i = 1; i <= 10; i++) {
            assertEquals(401, status(call(guesser, "/api/health", "guess-" + i)), "attempt " + i);
        }
        String refused = call(guesser, "/api/health", "guess-11");
        assertEquals(429, status(refused), refused);
        int retryAfter = Integer.parseInt(refused.toLowerCase().split("\r\nretry-after: ")[1].split("\r\n")[0].trim());
        assertTrue(retryAfter >= 1 && retryAfter <= 60, "Retry-After " + retryAfter);
        String body = refused.substring(refused.indexOf("\r\n\r\n") + 4);
        assertTrue(body.contains("\"type\":\"rate_limit_error\"") && body.contains(
                "\"code\":\"too_many_failed_attempts\"") && body.contains("\"request_id\":\""), body);
        assertEquals(429, status(call(guesser, "/api/health", MonitorTestResource.SERVICE_TOKEN)), "the right token waits too");
        assertEquals(401, status(call(guesser, "/api/health", null)), "no token is no guess: a plain 401");

        String neighbour = "127.0.0.3";
        int answered = status(call(neighbour, "/api/health", MonitorTestResource.SERVICE_TOKEN));
        assertTrue(answered != 401 && answered != 429, "other addresses are unaffected: " + answered);
        assertEquals(401, status(call(neighbour, "/api/health", "wrong")));
    }
}
