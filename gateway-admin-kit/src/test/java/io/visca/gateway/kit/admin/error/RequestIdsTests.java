package io.visca.gateway.kit.admin.error;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Which client request ids are kept, and what replaces the others. */
class RequestIdsTests {

    @ParameterizedTest
    @ValueSource(strings = { "req-hm-404", "abc.DEF_1:2", "0123456789" })
    void keepsASaneClientId(String id) {
        assertEquals(id, RequestIds.normalize(id));
    }

    @ParameterizedTest
    @ValueSource(strings = { "", " ", "has space", "new\nline", "<script>", "é" })
    void replacesAnInsaneClientIdWithAGeneratedOne(String id) {
        String normalized = RequestIds.normalize(id);
        assertNotEquals(id, normalized);
        assertTrue(normalized.matches("req_[0-9a-f-]{36}"), normalized);
    }

    @Test
    void replacesAMissingOrOverlongIdAndGeneratesADifferentOneEachTime() {
        assertTrue(RequestIds.normalize(null).startsWith("req_"));
        assertTrue(RequestIds.normalize("x".repeat(129)).startsWith("req_"));
        assertEquals("x".repeat(128), RequestIds.normalize("x".repeat(128)));
        assertNotEquals(RequestIds.orGenerate(null), RequestIds.orGenerate(null));
        assertEquals("req-1", RequestIds.orGenerate("req-1"));
        assertTrue(RequestIds.orGenerate(" ").startsWith("req_"));
    }
}
