package io.visca.gateway.auth;

import static io.visca.gateway.auth.SecretCipherTests.KEY_A;
import static io.visca.gateway.auth.SecretCipherTests.KEY_B;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.visca.gateway.contracts.provider.AuthConfig;
import io.visca.gateway.contracts.provider.EndpointConfig;
import io.visca.gateway.contracts.provider.ProviderConfig;

class SealedSecretsTests {

    private final SecretCipher cipher = new SecretCipher(SecretKeys.of(KEY_A));
    private final List<String> reports = new ArrayList<>();
    private final SealedSecrets secrets = new SealedSecrets(cipher, (p, problem) -> reports.add(p + ": " + problem));

    @Test
    void opensEverySecretFieldAndLeavesTheRestAsItIs() {
        AuthConfig auth = new AuthConfig("oauth2_client_credentials", cipher.seal("corp", "auth.api_key", "k1"),
                null, "user", cipher.seal("corp", "auth.password", "p1"), "https://login.example.com/token",
                "client-id", cipher.seal("corp", "auth.client_secret", "s1"), "scope");
        SealedSecrets.Opened opened = SealedSecrets.open(cipher, provider("corp", auth));
        assertNull(opened.problem());
        assertEquals(new AuthConfig("oauth2_client_credentials", "k1", null, "user", "p1",
                "https://login.example.com/token", "client-id", "s1", "scope"), opened.config().auth());
    }

    @Test
    void passesReferencesAndValuesInClearThrough() {
        ProviderConfig reference = provider("a", bearer("${OPENAI_API_KEY}"));
        ProviderConfig clear = provider("b", bearer("sk-from-an-older-registry"));
        ProviderConfig none = provider("c", null);
        for (ProviderConfig p : List.of(reference, clear, none)) {
            SealedSecrets.Opened opened = SealedSecrets.open(cipher, p);
            assertSame(p, opened.config());
            assertNull(opened.problem());
        }
    }

    @Test
    void aValueThatDoesNotOpenEmptiesItsFieldAndNamesIt() {
        ProviderConfig moved = provider("evil", bearer(cipher.seal("openai", "auth.api_key", "sk-stolen")));
        SealedSecrets.Opened opened = SealedSecrets.open(cipher, moved);
        assertNull(opened.config().auth().apiKey());
        assertEquals("auth.api_key cannot be decrypted with the secrets key (" + SecretKeys.idOf(KEY_A)
                + "): the value was altered, or encrypted for another provider or field", opened.problem());
    }

    @Test
    void oneProviderThatDoesNotOpenLeavesTheOthersServedAndIsReportedOnce() {
        String foreign = new SecretCipher(SecretKeys.of(KEY_B)).seal("lost", "auth.api_key", "sk-lost");
        List<ProviderConfig> snapshot = List.of(provider("ok", bearer(cipher.seal("ok", "auth.api_key", "sk-ok"))),
                provider("lost", bearer(foreign)));

        SealedSecrets.OpenedProviders first = secrets.openAll(snapshot);
        assertEquals("sk-ok", first.providers().get(0).auth().apiKey());
        assertNull(first.providers().get(1).auth().apiKey());
        assertEquals(List.of("lost"), List.copyOf(first.problems().keySet()));
        assertTrue(first.problems().get("lost").contains("secrets key " + SecretKeys.idOf(KEY_B)));
        secrets.openAll(snapshot);
        assertEquals(1, reports.size(), "reported once: " + reports);
        assertFalse(reports.get(0).contains("sk-lost"));
        assertFalse(reports.get(0).contains(foreign));

        secrets.openAll(List.of(snapshot.get(0)));
        secrets.openAll(snapshot);
        assertEquals(2, reports.size(), "reported again after it had been fixed: " + reports);
    }

    private static AuthConfig bearer(String key) {
        return new AuthConfig("bearer", key, null, null, null, null, null, null, null);
    }

    private static ProviderConfig provider(String name, AuthConfig auth) {
        return new ProviderConfig(name, "openai-compatible", true,
                List.of(new EndpointConfig("e", "https://api.example.com/v1", 1)), auth, List.of(), null, null, null,
                null, null, null);
    }
}
