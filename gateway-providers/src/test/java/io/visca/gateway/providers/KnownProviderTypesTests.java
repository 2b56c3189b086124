package io.visca.gateway.providers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.visca.gateway.providers.example.EchoType;

/** The registry of types: what {@code META-INF/services} registers, in order, and a clear error for anything else. */
class KnownProviderTypesTests {

    @Test
    void theBuiltInTypesComeFirstInTheirOrderAndAnAddedTypeFollows() {
        assertEquals(List.of("openai-compatible", "anthropic", "ollama", "tgi", "replicate", "custom", "example-echo"),
                KnownProviderTypes.names());
    }

    @Test
    void anAddedTypeIsPickedUpFromItsOwnServicesFile() {
        ProviderType echo = KnownProviderTypes.get("example-echo");
        assertTrue(echo instanceof EchoType, echo.getClass().getName());
        assertEquals("status", echo.defaultHealthPath());
    }

    @Test
    void anUnknownTypeIsAClearErrorListingTheKnownOnes() {
        UnknownProviderTypeException unknown = assertThrows(UnknownProviderTypeException.class,
                () -> KnownProviderTypes.get("gpt"));
        assertEquals("unknown type 'gpt'; known types: openai-compatible, anthropic, ollama, tgi, replicate, custom, "
                + "example-echo", unknown.getMessage());
        assertEquals("gpt", unknown.type());
        assertTrue(KnownProviderTypes.find("gpt").isEmpty());
        assertTrue(KnownProviderTypes.find(null).isEmpty());
        assertThrows(UnknownProviderTypeException.class, () -> KnownProviderTypes.get(null));
        assertThrows(UnknownProviderTypeException.class, () -> KnownProviderTypes.get("OpenAI-Compatible"),
                "names are exact");
    }
}
