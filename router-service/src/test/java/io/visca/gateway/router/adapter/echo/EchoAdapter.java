package io.visca.gateway.router.adapter.echo;

import jakarta.inject.Singleton;

import com.fasterxml.jackson.databind.JsonNode;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.visca.gateway.providers.example.EchoType;
import io.visca.gateway.router.adapter.ErrorBodies;
import io.visca.gateway.router.adapter.Json;
import io.visca.gateway.router.adapter.OpenAiResponses;
import io.visca.gateway.router.adapter.Operation;
import io.visca.gateway.router.adapter.ProviderAdapter;
import io.visca.gateway.router.adapter.StreamMapper;
import io.visca.gateway.router.adapter.UpstreamCall;
import io.visca.gateway.router.adapter.UpstreamErrors;
import io.visca.gateway.router.adapter.UpstreamResponse;
import io.visca.gateway.router.error.GatewayError;
import io.visca.gateway.router.upstream.UpstreamRequest;

/**
 * The router's side of {@code example-echo}, the provider type that exists only in tests (its descriptor is
 * {@code EchoType} in {@code gateway-providers}' test-jar, its fake {@code FakeEchoServer}): the whole of what adding
 * a type takes in the router, one adapter in a package of its own, found by CDI. Chat only, without streaming: the
 * last message's text goes to {@code POST say} as {@code {"voice","text"}}, {@code {"said"}} comes back as the
 * assistant's message.
 */
@Singleton
public class EchoAdapter implements ProviderAdapter {

    @Override
    public String type() {
        return EchoType.NAME;
    }

    @Override
    public boolean supports(Operation operation) {
        return operation == Operation.CHAT;
    }

    @Override
    public Future<UpstreamResponse> send(UpstreamCall call) {
        if (call.stream()) {
            return Future.failedFuture(GatewayError.badRequest("example-echo does not stream.", "stream",
                    "unsupported_parameter"));
        }
        JsonNode messages = call.request().path("messages");
        String text = Json.text(messages.path(messages.size() - 1).path("content"));
        var headers = call.jsonHeaders();
        EchoType.HEADERS.forEach(headers::set);
        return call.send(new UpstreamRequest(HttpMethod.POST,
                call.url("/say"), headers,
                Json.write(Json.object().put("voice", call.model().upstreamId()).put("text", text))));
    }

    @Override
    public Buffer response(UpstreamCall call, Buffer upstreamBody) {
        JsonNode said = Json.readUpstream(call, upstreamBody).path("said");
        if (!said.isTextual()) {
            throw UpstreamErrors.malformed(call, "no \"said\"");
        }
        call.firstToken();
        return OpenAiResponses.chatCompletion(call, null, null, OpenAiResponses.assistantMessage(said.asText()),
                "stop");
    }

    @Override
    public StreamMapper stream(UpstreamCall call) {
        throw new IllegalStateException("example-echo does not stream");
    }

    @Override
    public GatewayError error(UpstreamCall call, UpstreamResponse response, Buffer body) {
        return UpstreamErrors.fromStatus(call, response.status(), response.headers(),
                ErrorBodies.firstString(ErrorBodies.json(body), "/problem"), false);
    }
}
