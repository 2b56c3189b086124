package io.visca.gateway.registry.apikey.mapping;

import io.visca.gateway.contracts.provider.GatewayKey;
import io.visca.gateway.registry.apikey.repository.ApiKeyEntity;

/** Between {@link ApiKeyEntity} and the API models; none of them carries the key itself. */
public final class ApiKeyMapper {

    private ApiKeyMapper() {
    }

    public static ApiKeyView toApiModel(ApiKeyEntity entity) {
        return new ApiKeyView(entity.id, entity.name, entity.keyPrefix, entity.createdAt);
    }

    /** As the router sees a key: its hash. */
    public static GatewayKey toGatewayKey(ApiKeyEntity entity) {
        return new GatewayKey(entity.id, entity.name, entity.keyHash, entity.createdAt);
    }
}
