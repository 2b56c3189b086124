package io.visca.gateway.registry.provider.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ConnectException;
import java.net.UnknownHostException;
import java.util.concurrent.TimeoutException;

import javax.net.ssl.SSLHandshakeException;

import org.junit.jupiter.api.Test;

import io.netty.channel.ConnectTimeoutException;

class FailureClassifierTests {

    private static String reason(Throwable failure) {
        return FailureClassifier.classify(failure, "GET /models").reason();
    }

    @Test
    void sortsTransportFailuresIntoReasons() {
        assertEquals("dns", reason(new UnknownHostException("Failed to resolve 'nowhere.invalid'")));
        assertEquals("refused", reason(new ConnectException("Connection refused: /127.0.0.1:1")));
        assertEquals("timeout", reason(new ConnectTimeoutException("connection timed out")));
        assertEquals("timeout", reason(new TimeoutException("idle timeout")));
        assertEquals("timeout", reason(new io.smallrye.mutiny.TimeoutException()));
        assertEquals("tls", reason(new SSLHandshakeException("PKIX path building failed")));
        assertEquals("tls", reason(new RuntimeException("wrapped", new SSLHandshakeException("bad cert"))));
        assertEquals("network", reason(new IllegalStateException("connection reset")));
    }

    @Test
    void sortsStatusesIntoAuthAndHttpErrors() {
        assertEquals("auth", FailureClassifier.forStatus(401, "GET /models").reason());
        assertEquals("auth", FailureClassifier.forStatus(403, "GET /models").reason());
        ProbeFailure serverError = FailureClassifier.forStatus(503, "POST /chat/completions");
        assertEquals("http_error", serverError.reason());
        assertEquals(503, serverError.httpStatus());
        assertTrue(serverError.detail().contains("503"));
    }

    @Test
    void keepsAnAlreadyClassifiedFailure() {
        ProbeFailure missing = new ProbeFailure(ProbeFailure.MISSING_SECRET, null, "X is not set");
        assertEquals(missing, FailureClassifier.classify(missing, "auth"));
    }
}
