package io.visca.gateway.router.routing;

import jakarta.enterprise.util.TypeLiteral;

import io.vertx.core.Future;
import io.visca.gateway.router.adapter.UpstreamResponse;

/** The type the router's guards protect: an upstream attempt, a Vert.x future (guarded without leaving its loop). */
final class UpstreamResponseFutures {

    static final TypeLiteral<Future<UpstreamResponse>> TYPE = new TypeLiteral<>() {
    };

    private UpstreamResponseFutures() {
    }
}
