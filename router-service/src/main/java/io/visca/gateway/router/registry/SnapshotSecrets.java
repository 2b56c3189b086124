package io.visca.gateway.router.registry;

import java.util.List;

import jakarta.inject.Singleton;
import jakarta.interceptor.Interceptor;

import org.jboss.logging.Logger;

import io.quarkus.runtime.Startup;
import io.visca.gateway.auth.SealedSecrets;
import io.visca.gateway.auth.SecretCipher;
import io.visca.gateway.auth.SecretKeys;
import io.visca.gateway.contracts.provider.ProviderConfig;
import io.visca.gateway.router.config.RouterConfig;

/**
 * Opens the encrypted literal secrets of each registry snapshot once, when it is taken in, with the registry's secrets
 * key ({@code GATEWAY_SECRETS_KEY}): requests then use the plaintext and never decrypt. A provider whose secret does
 * not open (a key this router lacks, a tampered value) stays in the table with that problem, so its calls fail with
 * {@code provider_misconfigured} while every other provider is served; the problem is logged once per provider, never
 * with the value. Without a key the router does not start.
 */
@Singleton
@Startup(Interceptor.Priority.PLATFORM_BEFORE) // a missing or malformed key stops the start first thing
public class SnapshotSecrets {

    private static final Logger LOG = Logger.getLogger(SnapshotSecrets.class);

    private final SealedSecrets secrets;

    SnapshotSecrets(RouterConfig config) {
        SecretKeys keys = SecretKeys.load(config.secrets());
        this.secrets = new SealedSecrets(new SecretCipher(keys), (provider, problem) -> LOG.errorf(
                "provider '%s' cannot be called: %s; its requests fail with provider_misconfigured until the registry "
                        + "sends a secret this router can decrypt",
                provider, problem));
        LOG.infof("provider secrets of the registry's snapshot are opened with secrets key %s (keys held: %s)",
                keys.currentId(), keys.ids());
    }

    /** The snapshot's providers with their secrets opened, and the problem of each whose secrets did not open. */
    public SealedSecrets.OpenedProviders open(List<ProviderConfig> providers) {
        return secrets.openAll(providers);
    }
}
