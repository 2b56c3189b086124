package io.visca.gateway.auth;

import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Resolves {@code ${NAME}} references in provider configs at call time; anything else (a literal, null) passes
 * through unchanged. A resolved value is used for one call and never stored, returned or logged.
 * <p>
 * Whoever edits providers chooses both the names and where the values go, so a reference resolves only what the
 * deployment allows:
 * <ol>
 * <li>the name must pass the {@link SecretPolicy}: never the gateway's own settings, and only names matching the allow
 * pattern ({@code GATEWAY_SECRET_NAMES});</li>
 * <li>the value is read from the secret file of that name ({@link SecretFiles}, {@code GATEWAY_SECRETS_DIR}) if there
 * is one, else from the environment (unless {@code GATEWAY_SECRETS_FROM_ENV=false});</li>
 * <li>a value that is, or contains, one of the calling service's own credentials (its service or admin token, its
 * database password, ...) is refused: an innocent name can hold one ({@code MY_API_KEY=$GATEWAY_SERVICE_TOKEN}).</li>
 * </ol>
 * A refusal is a {@link ForbiddenSecretException}, a value not found a {@link MissingSecretException}; both name the
 * field and the variable, never a value. Lookups never block: secret files are read in memory.
 */
public final class SecretResolver implements AutoCloseable {

    /** What a variable's name may look like inside {@code ${...}} (also a secret file's name). */
    public static final String NAME_SYNTAX = "[A-Za-z_][A-Za-z0-9_]*";

    /** Own credentials at least this long are refused inside a value too, shorter ones only as the whole value. */
    static final int CONTAINED_CREDENTIAL_LENGTH = 12;

    private static final Pattern REFERENCE = Pattern.compile("\\$\\{(" + NAME_SYNTAX + ")}");

    private final SecretPolicy policy;
    private final SecretFiles files;
    private final UnaryOperator<String> environment;
    private final List<String> ownCredentials;

    /**
     * The default policy, no secret files, no own credentials: for tests.
     *
     * @param environment looks a variable up by name, null when it is not set; tests pass a map's {@code get}
     */
    public SecretResolver(UnaryOperator<String> environment) {
        this(SecretPolicy.defaults(), null, environment, List.of());
    }

    /**
     * @param policy which names may be resolved
     * @param files the secrets directory, read first; null for none
     * @param environment the environment lookup ({@code System::getenv}), read after the files; null not to read it
     * @param ownCredentials the calling service's own credentials (null and blank ones are ignored): a resolved
     *        value holding one is refused
     */
    public SecretResolver(SecretPolicy policy, SecretFiles files, UnaryOperator<String> environment,
            Collection<String> ownCredentials) {
        this.policy = Objects.requireNonNull(policy);
        this.files = files;
        this.environment = environment;
        this.ownCredentials = ownCredentials.stream().filter(c -> c != null && !c.isBlank()).map(String::strip)
                .distinct().toList();
    }

    /** The variable's name when {@code value} is exactly one {@code ${NAME}} reference, null otherwise. */
    public static String referenceName(String value) {
        if (value == null || value.length() < 4 || value.charAt(0) != '$') {
            return null;
        }
        Matcher reference = REFERENCE.matcher(value);
        return reference.matches() ? reference.group(1) : null;
    }

    public SecretPolicy policy() {
        return policy;
    }

    /**
     * @param field where the value is written in the provider config, e.g. {@code auth.api_key}, for the error
     * @param value a {@code ${NAME}} reference, a literal, or null
     * @return the variable's value for a reference, else {@code value} itself
     * @throws ForbiddenSecretException naming the field, the variable and the rule when the reference is refused
     * @throws MissingSecretException naming the field and the variable (never a value) when no source holds it
     */
    public String resolve(String field, String value) {
        String variable = referenceName(value);
        if (variable == null) {
            return value;
        }
        String refusal = policy.refusal(variable);
        if (refusal != null) {
            throw ForbiddenSecretException.byName(field, variable, refusal);
        }
        String resolved = files == null ? null : files.get(variable);
        if ((resolved == null || resolved.isEmpty()) && environment != null) {
            resolved = environment.apply(variable);
        }
        if (resolved == null || resolved.isEmpty()) {
            throw new MissingSecretException(field, variable, files != null, environment != null);
        }
        if (holdsOwnCredential(resolved)) {
            throw new ForbiddenSecretException(field, variable, ForbiddenSecretException.Rule.SERVICE_CREDENTIAL,
                    "its value holds one of this service's own credentials");
        }
        return resolved;
    }

    /**
     * Whether {@code value} names a secret that no source holds now: the variable's name for a {@code ${NAME}}
     * reference whose secret file and environment variable are both absent or empty, null otherwise (a literal, null,
     * a reference that is set, or one the policy refuses: that is a misconfiguration {@link #resolve} reports, not a
     * credential still to be provided). Never reads a value into a result; cheap enough for every routed request.
     */
    public String unset(String value) {
        String variable = referenceName(value);
        if (variable == null || policy.refusal(variable) != null) {
            return null;
        }
        String found = files == null ? null : files.get(variable);
        if ((found == null || found.isEmpty()) && environment != null) {
            found = environment.apply(variable);
        }
        return found == null || found.isEmpty() ? variable : null;
    }

    private boolean holdsOwnCredential(String value) {
        String stripped = value.strip();
        for (String credential : ownCredentials) {
            if (stripped.equals(credential)
                    || (credential.length() >= CONTAINED_CREDENTIAL_LENGTH && value.contains(credential))) {
                return true;
            }
        }
        return false;
    }

    /** Stops the secret files' refresh. */
    @Override
    public void close() {
        if (files != null) {
            files.close();
        }
    }
}
