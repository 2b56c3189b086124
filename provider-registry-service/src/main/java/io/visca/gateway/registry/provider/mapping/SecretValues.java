package io.visca.gateway.registry.provider.mapping;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Secret fields hold a literal or exactly one {@code ${NAME}} reference, read from the calling service's
 * environment at call time. References are data, not secrets: the API returns them as written. Literals are
 * returned as {@link #REDACTED}.
 */
public final class SecretValues {

    /** What every read returns instead of a literal secret; sent back in a PUT it keeps the stored secret. */
    public static final String REDACTED = "********";
    public static final String NAME_SYNTAX = "[A-Za-z_][A-Za-z0-9_]*";

    private static final Pattern REFERENCE = Pattern.compile("\\$\\{(" + NAME_SYNTAX + ")}");
    private static final Pattern SHELL_VARIABLE = Pattern.compile("\\$" + NAME_SYNTAX);
    private static final int MAX_LENGTH = 8192;

    private SecretValues() {
    }

    public static boolean isReference(String value) {
        return value != null && REFERENCE.matcher(value).matches();
    }

    /** The variable name of a {@code ${NAME}} reference, or null for a literal. */
    public static String referenceName(String value) {
        if (value == null) {
            return null;
        }
        Matcher m = REFERENCE.matcher(value);
        return m.matches() ? m.group(1) : null;
    }

    /** A literal secret (not null, not a reference, not the placeholder): the values the API never returns. */
    public static boolean isLiteral(String value) {
        return value != null && !isReference(value) && !REDACTED.equals(value);
    }

    /**
     * @return why {@code value} is not acceptable in a field that may hold a reference, or null when it is; the
     *         message never repeats the value
     */
    public static String problem(String value) {
        if (value.isBlank()) {
            return "must not be blank";
        }
        if (value.length() > MAX_LENGTH) {
            return "must be at most " + MAX_LENGTH + " characters";
        }
        if (isReference(value) || REDACTED.equals(value)) {
            return null;
        }
        if (value.contains("${") || value.contains("$(")) {
            return "has a malformed environment reference: write exactly ${NAME}, with NAME matching " + NAME_SYNTAX
                    + " and nothing around it, or a literal value without '${' or '$('";
        }
        if (SHELL_VARIABLE.matcher(value).matches()) {
            return "looks like a shell variable; write it as ${NAME} to read it from the environment";
        }
        return null;
    }
}
