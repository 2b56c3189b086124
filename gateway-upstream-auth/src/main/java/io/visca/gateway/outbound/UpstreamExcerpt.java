package io.visca.gateway.outbound;

import java.util.regex.Pattern;

/**
 * What the gateway repeats of an upstream's words (an error message, a jq error quoting an upstream body) in Test
 * Connection reasons, probe reasons and error messages: a short excerpt, never a raw body. Markup tags, control and
 * invisible formatting characters (newlines, tabs, escape sequences, bidirectional overrides) become spaces, runs of
 * whitespace one space, and the text is cut to {@link #MAX_CHARS}; {@link #quote} marks it as someone else's words.
 */
public final class UpstreamExcerpt {

    /** The most characters of an upstream's words that are repeated. */
    public static final int MAX_CHARS = 200;

    /** Only the start of a long text is looked at: enough for {@link #MAX_CHARS} after tags are dropped. */
    private static final int SCANNED_CHARS = 8 * MAX_CHARS;
    private static final Pattern TAG = Pattern.compile("</?[A-Za-z!][^<>]{0,256}>");

    private UpstreamExcerpt() {
    }

    /**
     * @return {@code text} cleaned and cut to {@code max} characters (an ellipsis marks a cut), "" for null
     */
    public static String clean(String text, int max) {
        if (text == null) {
            return "";
        }
        String start = text.length() > SCANNED_CHARS ? text.substring(0, SCANNED_CHARS) : text;
        String untagged = TAG.matcher(start).replaceAll(" ");
        StringBuilder out = new StringBuilder(Math.min(untagged.length(), max + 1));
        boolean space = true;
        for (int i = 0; i < untagged.length() && out.length() <= max;) {
            int c = untagged.codePointAt(i);
            i += Character.charCount(c);
            if (Character.isWhitespace(c) || Character.isSpaceChar(c) || Character.isISOControl(c) || isFormat(c)) {
                if (!space) {
                    out.append(' ');
                    space = true;
                }
            } else {
                out.appendCodePoint(c);
                space = false;
            }
        }
        boolean cut = out.length() > max || text.length() > start.length();
        if (out.length() > max) {
            int end = max;
            if (Character.isLowSurrogate(out.charAt(end)) && end > 0) {
                end--;
            }
            out.setLength(end);
        }
        String cleaned = out.toString().strip();
        return cut && !cleaned.isEmpty() ? cleaned + "…" : cleaned;
    }

    /**
     * @param who whose words they are, e.g. {@code upstream}
     * @return e.g. {@code upstream said "model not found"}; "" when there is nothing to repeat
     */
    public static String quote(String who, String text) {
        String cleaned = clean(text, MAX_CHARS).replace('"', '\'');
        return cleaned.isEmpty() ? "" : who + " said \"" + cleaned + "\"";
    }

    /** Unicode format characters: bidirectional overrides, zero-width joiners and the like. */
    private static boolean isFormat(int c) {
        return Character.getType(c) == Character.FORMAT;
    }
}
