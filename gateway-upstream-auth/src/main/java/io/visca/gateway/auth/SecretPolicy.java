package io.visca.gateway.auth;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Which {@code ${NAME}} references a deployment lets provider configs resolve, by name. Anyone who may edit providers
 * chooses the names and where the resolved values are sent, so a name is resolved only when
 * <ol>
 * <li>it is not one of the gateway's own settings and credentials ({@link #RESERVED_PREFIXES},
 * {@link #RESERVED_NAMES}; compared ignoring case, as Windows environments are): these are never resolved, whatever
 * the allow pattern says, and</li>
 * <li>it matches the allow pattern as a whole ({@code GATEWAY_SECRET_NAMES}, a Java regular expression; default
 * {@link #DEFAULT_ALLOWED}: names that look like provider credentials, {@code API_KEY}, {@code OPENAI_API_KEY},
 * {@code TGI_TOKEN}, {@code CORP_CLIENT_SECRET}, {@code LEGACY_USER}, ...).</li>
 * </ol>
 * The name check alone cannot catch a variable that holds one of the service's credentials under an innocent name
 * ({@code MY_API_KEY=$GATEWAY_SERVICE_TOKEN}): {@link SecretResolver} also refuses such values.
 */
public final class SecretPolicy {

    /** The setting (an environment variable in every service) that replaces {@link #DEFAULT_ALLOWED}. */
    public static final String SETTING = "GATEWAY_SECRET_NAMES";

    /** Names that look like provider credentials; what the product page and {@code examples/providers/} use. */
    public static final String DEFAULT_ALLOWED = "API_KEY|[A-Z0-9_]*_(API_KEY|KEY|TOKEN|SECRET|PASSWORD|CLIENT_ID|USER"
            + "|USERNAME)";

    /**
     * Prefixes of the settings the gateway's services, their libraries, their JVM and their platform read: the
     * gateway's own ({@code GATEWAY_}, one per service: {@code REGISTRY_}, {@code ROUTER_}, {@code BILLING_},
     * {@code HEALTH_}, {@code PROVIDERS_}), its stores ({@code DB_}, {@code PG} (libpq's {@code PGPASSWORD}),
     * {@code POSTGRES}, {@code KAFKA_}), its frameworks ({@code QUARKUS_}, {@code MP_}, {@code SMALLRYE_},
     * {@code JAVA_}, {@code JDK_}) and the platform's credentials ({@code AWS_}, {@code AZURE_}, {@code GOOGLE_},
     * {@code GCP_}, {@code KUBERNETES_}, {@code VAULT_}).
     */
    public static final List<String> RESERVED_PREFIXES = List.of("GATEWAY_", "REGISTRY_", "ROUTER_", "BILLING_",
            "HEALTH_", "PROVIDERS_", "DB_", "PG", "POSTGRES", "KAFKA_", "QUARKUS_", "MP_", "SMALLRYE_", "JAVA_", "JDK_",
            "AWS_", "AZURE_", "GOOGLE_", "GCP_", "KUBERNETES_", "VAULT_");

    /** Whole names reserved besides the prefixes: the shell variables {@code gateway.sh} keeps the tokens in. */
    public static final Set<String> RESERVED_NAMES = Set.of("ADMIN_TOKEN", "SERVICE_TOKEN");

    private static final SecretPolicy DEFAULTS = new SecretPolicy(DEFAULT_ALLOWED);

    private final Pattern allowed;

    private SecretPolicy(String allowed) {
        this.allowed = Pattern.compile(allowed);
    }

    /** The default policy: {@link #DEFAULT_ALLOWED}. */
    public static SecretPolicy defaults() {
        return DEFAULTS;
    }

    /**
     * @param allowed a Java regular expression a name must match as a whole; null or blank for the default
     * @throws IllegalArgumentException naming {@link #SETTING} when it does not compile
     */
    public static SecretPolicy allowing(String allowed) {
        if (allowed == null || allowed.isBlank()) {
            return DEFAULTS;
        }
        try {
            return new SecretPolicy(allowed.strip());
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException(SETTING + " is not a valid Java regular expression: "
                    + e.getDescription() + " near index " + e.getIndex(), null);
        }
    }

    /** The allow pattern in force. */
    public String allowedPattern() {
        return allowed.pattern();
    }

    /** Whether {@code name} may be resolved: {@link #refusal} is null. */
    public boolean allows(String name) {
        return refusal(name) == null;
    }

    /**
     * @param name a variable name as written inside {@code ${...}}
     * @return null when the name may be resolved, else the rule it breaks, in words (never a value)
     */
    public String refusal(String name) {
        String reserved = reservedBy(name);
        if (reserved != null) {
            return reserved;
        }
        if (!allowed.matcher(name).matches()) {
            return "the name does not match the allowed secret names (" + SETTING + ": " + allowed.pattern() + ")";
        }
        return null;
    }

    /** Whether the refusal of {@code name} is the hard deny, which no setting lifts. */
    public static boolean reserved(String name) {
        return reservedBy(name) != null;
    }

    private static String reservedBy(String name) {
        String upper = name.toUpperCase(Locale.ROOT);
        if (RESERVED_NAMES.contains(upper)) {
            return upper + " is one of the gateway's own settings, which provider configs can never read";
        }
        for (String prefix : RESERVED_PREFIXES) {
            if (upper.startsWith(prefix)) {
                return "names starting with " + prefix + " are the gateway's own settings and credentials, which "
                        + "provider configs can never read";
            }
        }
        return null;
    }
}
