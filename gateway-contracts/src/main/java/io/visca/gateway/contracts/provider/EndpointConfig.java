package io.visca.gateway.contracts.provider;

/**
 * One replica of a provider.
 *
 * @param id stable name of the endpoint within its provider (health events are keyed {@code provider/id});
 *        defaults to the host and port of {@code base_url}
 * @param baseUrl http(s) URL the adapter appends its paths to
 * @param weight share of the provider's traffic, &gt; 0
 */
public record EndpointConfig(String id, String baseUrl, int weight) {
}
