package io.visca.gateway.registry.security;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a resource class of the service-to-service API: it takes {@code GATEWAY_SERVICE_TOKEN}, not the admin
 * token. Every other resource is admin-only.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface ServiceAuthenticated {
}
