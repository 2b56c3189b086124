package io.visca.gateway.registry.provider.advice;

import io.quarkus.qute.TemplateData;

/**
 * Advice about a saved or tested provider config: never a reason to refuse it, shown beside the answer.
 *
 * @param field path of the field it is about, e.g. {@code endpoints[0].base_url} or {@code auth.token_url}
 * @param message what is advised and why; never contains a secret value
 */
@TemplateData
public record FieldWarning(String field, String message) {
}
