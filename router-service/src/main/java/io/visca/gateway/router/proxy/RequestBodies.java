package io.visca.gateway.router.proxy;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.visca.gateway.router.adapter.Json;

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
            node = Json.read(body);
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? ""
                    : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
            String what = e instanceof JsonParseException ? e.getOriginalMessage() : "malformed JSON";
            int detail = what.indexOf('\n');
            what = detail < 0 ? what : what.substring(0, detail);
            throw GatewayError.badRequest("We could not parse the JSON body of your request" + where + ": " + what,
                    null, "invalid_json");
        } catch (java.io.IOException e) {
            throw GatewayError.badRequest("We could not read the JSON body of your request.", null, "invalid_json");
        }
        if (!(node instanceof ObjectNode object)) {
            throw GatewayError.badRequest("The request body must be a JSON object.", null, "invalid_json");
        }
        return object;
    }
}
