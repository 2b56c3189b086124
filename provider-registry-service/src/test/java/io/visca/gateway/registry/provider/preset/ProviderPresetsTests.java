package io.visca.gateway.registry.provider.preset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.visca.gateway.auth.SecretPolicy;
import io.visca.gateway.auth.SecretResolver;
import io.visca.gateway.contracts.provider.ProviderConfig;
import io.visca.gateway.providers.KnownProviderTypes;
import io.visca.gateway.providers.custom.CustomType;
import io.visca.gateway.registry.provider.mapping.ProviderDocumentParser;

/**
 * The presets data file against the product page's list and the repository's {@code examples/providers/}: each
 * preset's example parses with the registry's own parser and has the preset's type, auth and health check.
 */
class ProviderPresetsTests {

    private static final Path EXAMPLES = Path.of("..", "examples", "providers");
    private static final Pattern REFERENCE = Pattern.compile("\\$\\{(" + SecretResolver.NAME_SYNTAX + ")}");
    private static final ObjectMapper JSON = new ObjectMapper();
    private final ProviderDocumentParser parser = new ProviderDocumentParser();

    static Stream<ProviderPreset> presets() {
        return ProviderPresets.read().presets().stream();
    }

    @Test
    void coversEveryProviderTheProductPageLists() {
        ProviderPresets.File file = ProviderPresets.read();
        assertEquals(List.of("vllm", "tgi", "ollama", "localai", "lmstudio", "together", "replicate", "huggingface",
                "custom"), file.presets().stream().map(ProviderPreset::id).toList());
        assertEquals(List.of("vLLM", "Text Generation Inference", "Ollama", "LocalAI", "LM Studio", "Together AI",
                "Replicate", "Hugging Face"), file.presets().stream().map(ProviderPreset::label).limit(8).toList());
        assertNotNull(file.checked(), "the file says when its facts were checked");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("presets")
    void exampleFileParsesAndMatchesItsPreset(ProviderPreset preset) throws IOException {
        Path example = EXAMPLES.resolve(preset.example());
        assertTrue(Files.isRegularFile(example), example + " exists");
        ProviderConfig config = parser.parse(Files.readString(example)).config();
        assertEquals(preset.type(), config.type(), "type of " + example);
        if (preset.auth() != null) {
            assertEquals(preset.auth().authType(), config.auth().authType(), "auth_type of " + example);
            assertEquals(preset.auth().apiKey(), config.auth().apiKey(), "api_key of " + example);
        }
        if (preset.healthCheckEndpoint() != null) {
            String effective = config.healthCheck().endpoint() != null ? config.healthCheck().endpoint()
                    : KnownProviderTypes.get(config.type()).defaultHealthPath();
            assertEquals(preset.healthCheckEndpoint(), effective, "health check of " + example);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("presets")
    void presetIsAValidProviderAsTheFormFillsIt(ProviderPreset preset) {
        assertTrue(KnownProviderTypes.names().contains(preset.type()), preset.type());
        assertFalse(preset.hint() == null || preset.hint().isBlank(), "a hint");
        assertFalse(preset.hint().contains("\n"), "one line");
        if (CustomType.NAME.equals(preset.type())) {
            assertNull(preset.baseUrl(), "custom starts blank");
            return;
        }
        ObjectNode document = JSON.createObjectNode().put("name", "preset-" + preset.id()).put("type", preset.type())
                .put("base_url", preset.baseUrl());
        ObjectNode auth = document.putObject("auth").put("auth_type", preset.formAuthType());
        if (!preset.apiKeyReference().isEmpty()) {
            auth.put("api_key", preset.apiKeyReference());
        }
        document.putObject("health_check").put("endpoint", preset.healthCheckEndpoint());
        ((ArrayNode) document.putArray("models")).addObject().put("id", preset.modelExample());
        ProviderConfig config = parser.parse(document).config();
        assertEquals(preset.baseUrl(), config.endpoints().get(0).baseUrl());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("presets")
    void secretReferenceIsAllowedByTheDefaultNameRule(ProviderPreset preset) {
        String reference = preset.apiKeyReference();
        if (reference.isEmpty()) {
            return;
        }
        Matcher m = REFERENCE.matcher(reference);
        assertTrue(m.matches(), reference + " is one ${NAME} reference, never a literal");
        assertNull(SecretPolicy.defaults().refusal(m.group(1)), reference);
    }
}
