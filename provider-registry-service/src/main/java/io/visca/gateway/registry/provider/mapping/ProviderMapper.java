package io.visca.gateway.registry.provider.mapping;

import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.visca.gateway.contracts.provider.ProviderConfig;
import io.visca.gateway.registry.provider.repository.ProviderEntity;

/**
 * Between the stored {@link ProviderEntity} and the {@link ProviderConfig} API model. No literal secret is written in
 * clear: {@link StoredSecrets} encrypts it.
 */
@ApplicationScoped
public class ProviderMapper {

    private final ObjectMapper json;
    private final StoredSecrets secrets;

    ProviderMapper(ObjectMapper json, StoredSecrets secrets) {
        this.json = json;
        this.secrets = secrets;
    }

    /**
     * The full document, secrets as stored (literals encrypted): for the internal API; the registry's own calls open
     * them with {@link StoredSecrets#open}.
     */
    public ProviderConfig toConfig(ProviderEntity entity) {
        try {
            return json.readValue(entity.document, ProviderConfig.class).withEnabled(entity.enabled);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored document of provider " + entity.name + " is unreadable", e);
        }
    }

    /** The document as the admin API shows it: literal secrets redacted. */
    public ProviderConfig toApiModel(ProviderEntity entity) {
        return SecretRedactor.redact(toConfig(entity));
    }

    public ProviderEntity toEntity(ProviderConfig config, long revision, Instant now) {
        ProviderEntity entity = new ProviderEntity();
        entity.name = config.name();
        entity.createdAt = now;
        update(entity, config, revision, now);
        return entity;
    }

    public void update(ProviderEntity entity, ProviderConfig config, long revision, Instant now) {
        entity.type = config.type();
        entity.enabled = config.enabled();
        // a literal kept in clear from a row written before secrets were encrypted is encrypted now
        entity.document = write(secrets.sealInClear(config));
        entity.revision = revision;
        entity.updatedAt = now;
    }

    private String write(ProviderConfig config) {
        try {
            return json.writeValueAsString(config);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("provider " + config.name() + " cannot be written as JSON", e);
        }
    }
}
