package io.visca.gateway.auth;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * A service's settings of {@code ${NAME}} references, the same environment variables in every service that calls
 * providers, and the {@link SecretResolver} they make.
 *
 * @param allowedNames {@code GATEWAY_SECRET_NAMES}: the allow pattern; null or blank for
 *        {@link SecretPolicy#DEFAULT_ALLOWED}
 * @param directory {@code GATEWAY_SECRETS_DIR}: the directory of secret files, read before the environment; null or
 *        blank for none
 * @param fromEnvironment {@code GATEWAY_SECRETS_FROM_ENV}: whether references read the environment at all
 * @param refresh {@code GATEWAY_SECRETS_REFRESH}: how often the directory is read again
 */
public record SecretSettings(String allowedNames, String directory, boolean fromEnvironment, Duration refresh) {

    /**
     * Names of settings that hold credentials: {@code ...password}, {@code ...token}, {@code ...secret}, {@code ...key}
     * and {@code ...secret-key}, {@code ...encryption-key}, ... Not Quarkus' {@code ...password-key} and
     * {@code ...username-key}, which name the entry of a credentials provider to read.
     */
    static final Pattern CREDENTIAL_NAME = Pattern.compile(
            "(?i).*(password|token|secret|[._]key|(secret|encryption|private|signing|master|api)[-_.]?key)");

    private static final System.Logger LOG = System.getLogger(SecretSettings.class.getName());

    /**
     * Builds the resolver: reads the secrets directory now (blocks: call it at startup, off the event loop) and then
     * every {@link #refresh} on a thread of its own, until the resolver is closed.
     *
     * @param ownCredentials the service's own credentials, e.g. from {@link #ownCredentials}
     * @throws IllegalArgumentException when {@code GATEWAY_SECRET_NAMES} is not a regular expression
     */
    public SecretResolver resolver(Collection<String> ownCredentials) {
        return resolver(ownCredentials, System::getenv);
    }

    SecretResolver resolver(Collection<String> ownCredentials, UnaryOperator<String> environment) {
        SecretPolicy policy = SecretPolicy.allowing(allowedNames);
        boolean files = directory != null && !directory.isBlank();
        LOG.log(System.Logger.Level.INFO, "Secret references resolve names matching {0} (never the gateway''s own "
                + "settings) from {1}; values holding one of this service''s {2} own credentials are refused",
                policy.allowedPattern(), files && fromEnvironment ? "secret files, then the environment"
                        : files ? "secret files only" : fromEnvironment ? "the environment" : "nowhere",
                ownCredentials.stream().distinct().count());
        return new SecretResolver(policy, files ? SecretFiles.watch(Path.of(directory.strip()), policy, refresh) : null,
                fromEnvironment ? environment : null, ownCredentials);
    }

    /**
     * The values of a service's own credentials among its settings, for the resolver to refuse: settings named like
     * credentials ({@link #CREDENTIAL_NAME}: {@code ...password}, {@code ...token}, {@code ...secret}, {@code ...key},
     * {@code ...encryption-key}) in the gateway's own
     * namespaces, the ones {@link SecretPolicy#RESERVED_PREFIXES} keep references away from, whether written as
     * environment variables ({@code GATEWAY_SERVICE_TOKEN}, {@code DB_PASSWORD}) or as properties
     * ({@code router.registry.service-token}, {@code quarkus.datasource.password}, an encryption key). Provider keys
     * ({@code OPENAI_API_KEY}, or {@code openai.api.key} as MicroProfile Config also lists it) are not.
     *
     * @param names every setting's name (MicroProfile Config's {@code getPropertyNames()}, which includes the
     *        environment)
     * @param value a setting's value, null when it has none or cannot be read
     */
    public static List<String> ownCredentials(Iterable<String> names, UnaryOperator<String> value) {
        List<String> credentials = new ArrayList<>();
        for (String name : names) {
            if (CREDENTIAL_NAME.matcher(name).matches() && SecretPolicy.reserved(environmentForm(name))) {
                String credential = value.apply(name);
                if (credential != null && !credential.isBlank()) {
                    credentials.add(credential);
                }
            }
        }
        return credentials;
    }

    /**
     * A property name as an environment variable: {@code router.registry.service-token}
     * is ROUTER_REGISTRY_SERVICE_TOKEN.
     */
    static String environmentForm(String name) {
        StringBuilder form = new StringBuilder(name.length());
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            form.append(c < 128 && Character.isLetterOrDigit(c) ? Character.toUpperCase(c) : '_');
        }
        return form.toString();
    }
}
