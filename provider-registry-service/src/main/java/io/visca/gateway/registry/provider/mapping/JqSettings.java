package io.visca.gateway.registry.provider.mapping;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import io.quarkus.runtime.StartupEvent;
import io.visca.gateway.jq.JqLimits;
import io.visca.gateway.registry.config.RegistryConfig;

/** Hands {@code registry.jq.*} to {@link JqPrograms}, whose callers (parsers, probes) are not beans. */
@Singleton
public class JqSettings {

    void onStart(@Observes StartupEvent start, RegistryConfig config) {
        RegistryConfig.Jq jq = config.jq();
        JqPrograms.limits(new JqLimits(jq.maxSteps(), jq.timeout(), jq.maxMemory()));
    }
}
