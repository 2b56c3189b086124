package io.visca.gateway.router.proxy;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.visca.gateway.router.adapter.Json;
import io.visca.gateway.router.error.GatewayError;

/** Reads a /v1 request body up to the configured limit, and parses it once. */
public final class RequestBodies {

    private RequestBodies() {
    }

    /** Fails with a 413 {@link GatewayError} as soon as the body is known to exceed {@code limit} bytes. */
    public static Future<Buffer> read(HttpServerRequest request, int limit) {
        String declared = request.getHeader("content-length");
        int expected = 1024;
        if (declared != null) {
            try {
                long length = Long.parseLong(declared.trim());
                if (length > limit) {
                    return Future.failedFuture(GatewayError.tooLarge(limit));
                }
                expected = (int) Math.max(0, length);
            } catch (NumberFormatException e) {
                return Future.failedFuture(GatewayError.badRequest("Invalid Content-Length header.", null, null));
            }
        }
        Promise<Buffer> read = Promise.promise();
        Buffer body = Buffer.buffer(expected);
        request.handler(chunk -> {
            if (body.length() + chunk.length() > limit) {
                request.handler(null);
                read.tryFail(GatewayError.tooLarge(limit));
            } else {
                body.appendBuffer(chunk);
            }
        });
        request.exceptionHandler(read::tryFail);
        request.endHandler(v -> read.tryComplete(body));
        request.resume();
        return read.future();
    }

    /** @throws GatewayError 400 when the body is not one JSON object, saying where it broke */
    public static ObjectNode parseObject(Buffer body) {
        if (body.length() == 0) {
            throw GatewayError.badRequest("The request body is empty; send a JSON object.", null, "invalid_json");
        }
        JsonNode node;
        try {
            node = Json.readWhole(body);
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? ""
                    : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
            throw GatewayError.badRequest("We could not parse the JSON body of your request" + where + ": "
                    + problem(e), null, "invalid_json");
        } catch (java.io.IOException e) {
            throw GatewayError.badRequest("We could not read the JSON body of your request.", null, "invalid_json");
        }
        if (!(node instanceof ObjectNode object)) {
            throw GatewayError.badRequest("The request body must be a JSON object.", null, "invalid_json");
        }
        return object;
    }

    /**
     * What the parser found wrong, in its words but without its internals (Jackson's feature and setting names, its
     * source description, exception names): e.g. {@code Unexpected end-of-input: expected close marker for Object},
     * {@code Document nesting depth (1001) exceeds the maximum allowed (1000)}.
     */
    static String problem(JsonProcessingException e) {
        if (e instanceof StreamConstraintsException) {
            String message = firstLine(e.getOriginalMessage());
            int from = message.indexOf(", from `");
            return from < 0 ? "it exceeds a limit of the gateway's JSON parser" : message.substring(0, from) + ")";
        }
        if (e instanceof MismatchedInputException && String.valueOf(e.getOriginalMessage()).startsWith("Trailing")) {
            return "unexpected data after the JSON value";
        }
        if (!(e instanceof JsonParseException)) {
            return "malformed JSON";
        }
        String what = firstLine(e.getOriginalMessage());
        for (String internal : new String[] { " (start marker at", ": enable ", " (consider ", " (not recognized as one",
                "[Source" }) {
            int at = what.indexOf(internal);
            what = at < 0 ? what : what.substring(0, at);
        }
        // a hint of the parser's settings in words not seen yet: none of it rather than part of it
        return what.contains("Feature") || what.contains("Constraints") ? "malformed JSON" : what.replace('`', '\'');
    }

    private static String firstLine(String message) {
        int end = message == null ? -1 : message.indexOf('\n');
        return message == null ? "malformed JSON" : end < 0 ? message : message.substring(0, end);
    }
}
