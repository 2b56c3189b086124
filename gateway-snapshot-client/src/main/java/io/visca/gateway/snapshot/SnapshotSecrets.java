package io.visca.gateway.snapshot;

import java.util.List;

import org.jboss.logging.Logger;

import io.visca.gateway.auth.SealedSecrets;
import io.visca.gateway.auth.SecretCipher;
import io.visca.gateway.auth.SecretKeys;
import io.visca.gateway.auth.SecretsKeyConfig;
import io.visca.gateway.contracts.provider.ProviderConfig;

/**
 * Opens the encrypted literal secrets of each registry snapshot once, when it is taken in, with the registry's secrets
 * key ({@code GATEWAY_SECRETS_KEY}): calls and probes then use the plaintext and never decrypt. A provider whose secret
 * does not open (a key this service lacks, a tampered value) stays in the snapshot with that problem, and the problem
 * is logged once per provider, in the service's own words, never with the value. Constructing one loads the keys, so
 * a service produces it at start ({@code @Startup(PLATFORM_BEFORE)}): without a key it does not start.
 */
public class SnapshotSecrets {

    private static final Logger LOG = Logger.getLogger(SnapshotSecrets.class);

    private final SealedSecrets secrets;

    /**
     * @param problemFormat what a provider whose secrets do not open means for this service: a format with the
     *        provider's name and the problem, e.g. {@code "provider '%s' cannot be probed: %s; ..."}
     */
    public SnapshotSecrets(SecretsKeyConfig config, String problemFormat) {
        SecretKeys keys = SecretKeys.load(config);
        this.secrets = new SealedSecrets(new SecretCipher(keys),
                (provider, problem) -> LOG.errorf(problemFormat, provider, problem));
        LOG.infof("provider secrets of the registry's snapshot are opened with secrets key %s (keys held: %s)",
                keys.currentId(), keys.ids());
    }

    /** The snapshot's providers with their secrets opened, and the problem of each whose secrets did not open. */
    public SealedSecrets.OpenedProviders open(List<ProviderConfig> providers) {
        return secrets.openAll(providers);
    }
}
