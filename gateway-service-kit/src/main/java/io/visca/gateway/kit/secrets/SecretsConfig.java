package io.visca.gateway.kit.secrets;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.WithDefault;
import io.visca.gateway.auth.SecretsKeyConfig;

/**
 * The group {@code secrets} of the registry's, router's and health monitor's configuration mappings
 * ({@code registry.secrets.*}, {@code router.secrets.*}, {@code health.secrets.*}): which {@code ${NAME}} references of
 * provider configs resolve, and from where (gateway-upstream-auth), and the key that opens literal secrets encrypted
 * at rest ({@link SecretsKeyConfig}). Each service maps the same environment variables onto its own prefix in its
 * application.properties.
 */
public interface SecretsConfig extends SecretsKeyConfig {

    /** {@code GATEWAY_SECRET_NAMES}: the allow pattern (a Java regex over the whole name); absent, the default. */
    Optional<String> names();

    /** {@code GATEWAY_SECRETS_DIR}: a directory of secret files named by the reference, read first. */
    Optional<String> dir();

    /** {@code GATEWAY_SECRETS_FROM_ENV}: false keeps references from reading the environment. */
    @WithDefault("true")
    boolean fromEnv();

    /** {@code GATEWAY_SECRETS_REFRESH}: how often the secrets directory is read again. */
    @WithDefault("PT30S")
    Duration refresh();
}
