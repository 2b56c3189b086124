package io.visca.gateway.outbound;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** {@link UpstreamExcerpt}: short, one line, no markup and no control characters, marked as someone else's words. */
class UpstreamExcerptTests {

    @Test
    void aHugeBodyIsCutToTheBound() {
        String huge = "error: " + "A".repeat(10_000_000);
        String quoted = UpstreamExcerpt.quote("upstream", huge);
        assertTrue(quoted.startsWith("upstream said \"error: AAAA"), quoted);
        assertTrue(quoted.endsWith("…\""), quoted);
        assertEquals(UpstreamExcerpt.MAX_CHARS + 1, UpstreamExcerpt.clean(huge, UpstreamExcerpt.MAX_CHARS).length());
    }

    @Test
    void controlCharactersAndNewlinesAreRemoved() {
        String hostile = "line one\r\nline two\t\u0000\u001b[31mred\u001b[0m\u007f\u0085 \u202eevil\u200b end\n\n";
        String cleaned = UpstreamExcerpt.clean(hostile, 200);
        assertEquals("line one line two [31mred [0m evil end", cleaned);
        assertFalse(cleaned.chars().anyMatch(c -> Character.isISOControl(c) || Character.getType(c) == Character.FORMAT),
                cleaned);
    }

    @Test
    void anHtmlPageLosesItsMarkup() {
        String page = "<!DOCTYPE html><html><head><title>502 Bad Gateway</title><script>alert(1)</script></head>"
                + "<body>\n<center><h1>502 Bad Gateway</h1></center>\n<hr><center>nginx</center></body></html>";
        assertEquals("upstream said \"502 Bad Gateway alert(1) 502 Bad Gateway nginx\"",
                UpstreamExcerpt.quote("upstream", page));
    }

    @Test
    void quotesInsideDoNotEndTheQuote() {
        assertEquals("upstream said \"model 'gpt-x' not found\"",
                UpstreamExcerpt.quote("upstream", "model \"gpt-x\" not found"));
    }

    @Test
    void nothingToRepeatIsEmpty() {
        assertEquals("", UpstreamExcerpt.quote("upstream", null));
        assertEquals("", UpstreamExcerpt.quote("upstream", " \n\t "));
        assertEquals("", UpstreamExcerpt.quote("upstream", "<br/>"));
    }

    @Test
    void aCutNeverSplitsACharacter() {
        String emoji = "x".repeat(199) + "🙂🙂🙂";
        String cleaned = UpstreamExcerpt.clean(emoji, 200);
        assertEquals("x".repeat(199) + "…", cleaned);
    }
}
