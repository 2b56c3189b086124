package io.visca.gateway.billing.security;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A resource class the other services call ({@code /internal}): it opens with {@code GATEWAY_SERVICE_TOKEN} only,
 * never with the finance tokens ({@link BillingRealms}).
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface ServiceAuthenticated {
}
