package io.visca.gateway.router.routing;

import io.visca.gateway.contracts.provider.ModelConfig;

/** A model id clients use, served by one provider. */
public record ModelRoute(ProviderRuntime provider, ModelConfig model) {
}
