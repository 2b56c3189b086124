package io.visca.gateway.contracts;

/**
 * The JSON name of a record component on the wire: snake_case, with a run of digits set apart like a word, so
 * {@code costPer1kInput} is {@code cost_per_1k_input} (as users write it), where Jackson's plain {@code SNAKE_CASE}
 * would give {@code cost_per1k_input}. Otherwise the same as Jackson's: {@code firstByteMs} is
 * {@code first_byte_ms}, an acronym stays one word. Each service plugs this into its JSON mapper's naming strategy,
 * so all of them read and write the same names.
 */
public final class WireNames {

    private WireNames() {
    }

    public static String snakeCase(String javaName) {
        if (javaName == null || javaName.isEmpty()) {
            return javaName;
        }
        StringBuilder out = new StringBuilder(javaName.length() + 8);
        boolean previousUpper = false;
        for (int i = 0; i < javaName.length(); i++) {
            char c = javaName.charAt(i);
            boolean upper = Character.isUpperCase(c);
            boolean digitAfterLetter = Character.isDigit(c) && i > 0 && Character.isLetter(javaName.charAt(i - 1));
            boolean wordStart = (upper && !previousUpper) || digitAfterLetter;
            if (i > 0 && wordStart && out.charAt(out.length() - 1) != '_') {
                out.append('_');
            }
            out.append(upper ? Character.toLowerCase(c) : c);
            previousUpper = upper;
        }
        return out.toString();
    }
}
