package io.visca.gateway.router.error;

import com.fasterxml.jackson.core.io.JsonStringEncoder;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;

/** Writes {@link GatewayError}s in OpenAI's error shape, as a JSON response or as a final SSE event. */
public final class OpenAiErrors {

    private OpenAiErrors() {
    }

    /** {@code {"error":{"message","type","param","code"}}} */
    public static String body(GatewayError e) {
        StringBuilder out = new StringBuilder(160);
        out.append("{\"error\":{\"message\":");
        quote(out, e.getMessage());
        out.append(",\"type\":");
        quote(out, e.type());
        out.append(",\"param\":");
        quote(out, e.param());
        out.append(",\"code\":");
        quote(out, e.code());
        return out.append("}}").toString();
    }

    /** Ends {@code response} with the error, unless something was already sent. */
    public static void send(HttpServerResponse response, GatewayError e) {
        if (response.headWritten() || response.ended() || response.closed()) {
            return;
        }
        response.setStatusCode(e.status()).putHeader("content-type", "application/json");
        if (e.retryAfterSeconds() > 0) {
            response.putHeader("retry-after", Long.toString(e.retryAfterSeconds()));
        }
        response.end(Buffer.buffer(body(e)));
    }

    /** The SSE event that ends a stream which fails after its first byte went out. */
    public static Buffer sseEvent(GatewayError e) {
        return Buffer.buffer("data: " + body(e) + "\n\n");
    }

    private static void quote(StringBuilder out, String value) {
        if (value == null) {
            out.append("null");
        } else {
            out.append('"');
            JsonStringEncoder.getInstance().quoteAsString(value, out);
            out.append('"');
        }
    }
}
