package io.visca.gateway.auth;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

import io.visca.gateway.contracts.provider.AuthConfig;
import io.visca.gateway.contracts.provider.ProviderConfig;

/**
 * Opens the encrypted secrets of provider configs as the registry sends them, once, when a service takes a snapshot
 * in: the calls that follow use the plaintext and never decrypt. A value that does not open leaves its field empty
 * and makes the provider's {@link Opened#problem() problem}, which the service turns into each call's error; the
 * other providers are unaffected. Values not in the encrypted form ({@code ${NAME}} references, literals of a
 * registry that has not encrypted them yet) pass through.
 */
public final class SealedSecrets {

    private final SecretCipher cipher;
    private final BiConsumer<String, String> report;
    /** The problem reported last for each provider, so each is reported once. Guarded by {@code this}. */
    private final Map<String, String> reported = new HashMap<>();

    /**
     * @param report told (provider, problem) the first time a provider's secrets do not open, and again only when the
     *        problem changes; the problem names fields and key ids, never a value
     */
    public SealedSecrets(SecretCipher cipher, BiConsumer<String, String> report) {
        this.cipher = cipher;
        this.report = report;
    }

    /** A provider with its secrets opened, and why some could not be (null when all opened). */
    public record Opened(ProviderConfig config, String problem) {
    }

    /** The providers of a snapshot, opened, with the problem of each provider whose secrets did not all open. */
    public record OpenedProviders(List<ProviderConfig> providers, Map<String, String> problems) {
    }

    /** Opens every provider; reports new problems. */
    public synchronized OpenedProviders openAll(List<ProviderConfig> providers) {
        List<ProviderConfig> opened = new ArrayList<>(providers.size());
        Map<String, String> problems = new HashMap<>();
        for (ProviderConfig provider : providers) {
            Opened one = open(cipher, provider);
            opened.add(one.config());
            if (one.problem() != null) {
                problems.put(provider.name(), one.problem());
            }
        }
        reported.keySet().retainAll(problems.keySet());
        problems.forEach((provider, problem) -> {
            if (!problem.equals(reported.put(provider, problem))) {
                report.accept(provider, problem);
            }
        });
        return new OpenedProviders(List.copyOf(opened), Map.copyOf(problems));
    }

    /** One provider's secrets opened; a field that does not open is left empty (null) and named in the problem. */
    public static Opened open(SecretCipher cipher, ProviderConfig provider) {
        AuthConfig auth = provider.auth();
        if (auth == null) {
            return new Opened(provider, null);
        }
        List<String> problems = new ArrayList<>(0);
        for (SecretField field : SecretField.values()) {
            String value = field.get(auth);
            if (!SecretCipher.isSealed(value)) {
                continue;
            }
            String plain;
            try {
                plain = cipher.open(provider.name(), field.path(), value);
            } catch (SecretDecryptionException e) {
                problems.add(e.getMessage());
                plain = null;
            }
            auth = field.with(auth, plain);
        }
        return new Opened(auth == provider.auth() ? provider : provider.withAuth(auth),
                problems.isEmpty() ? null : String.join("; ", problems));
    }
}
