package io.visca.gateway.router.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import io.vertx.core.http.RequestOptions;
import io.visca.gateway.router.upstream.UpstreamClient;

/** The hand-written URL split the upstream client uses instead of {@code java.net.URL}. */
class UpstreamClientTargetTests {

    @Test
    void hostPortAndPathOfAnHttpUrl() {
        RequestOptions target = UpstreamClient.target("http://127.0.0.1:8000/v1/chat/completions");
        assertEquals("127.0.0.1", target.getHost());
        assertEquals(8000, target.getPort());
        assertFalse(target.isSsl());
        assertEquals("/v1/chat/completions", target.getURI());
    }

    @Test
    void httpsDefaultsToPort443() {
        RequestOptions target = UpstreamClient.target("HTTPS://api.openai.com/v1/models?limit=5");
        assertEquals("api.openai.com", target.getHost());
        assertEquals(443, target.getPort());
        assertTrue(target.isSsl());
        assertEquals("/v1/models?limit=5", target.getURI());
    }

    @Test
    void ipv6LiteralsAndBareHosts() {
        RequestOptions ipv6 = UpstreamClient.target("http://[::1]:9090/generate");
        assertEquals("::1", ipv6.getHost());
        assertEquals(9090, ipv6.getPort());
        RequestOptions bare = UpstreamClient.target("http://models.internal");
        assertEquals("models.internal", bare.getHost());
        assertEquals(80, bare.getPort());
        assertEquals("/", bare.getURI());
        assertEquals("/?a=1", UpstreamClient.target("http://h:1?a=1").getURI());
    }

    @Test
    void otherSchemesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> UpstreamClient.target("ftp://h/x"));
    }
}
