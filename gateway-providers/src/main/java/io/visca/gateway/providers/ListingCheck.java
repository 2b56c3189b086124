package io.visca.gateway.providers;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import io.visca.gateway.contracts.provider.ProviderConfig;

/** The Test Connection of a type with a model listing: the listing first, its ids as the report's models. */
public abstract class ListingCheck implements ConnectionCheck {

    private final ModelListing listing;

    protected ListingCheck(ModelListing listing) {
        this.listing = listing;
    }

    @Override
    public UpstreamCall first(ProviderConfig provider) {
        return listing.request();
    }

    @Override
    public boolean lists() {
        return true;
    }

    @Override
    public List<String> modelIds(JsonNode body) {
        return listing.ids(body);
    }
}
