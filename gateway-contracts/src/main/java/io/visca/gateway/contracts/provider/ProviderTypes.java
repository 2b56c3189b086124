package io.visca.gateway.contracts.provider;

import java.util.List;

/** The provider types the router has an adapter for. */
public final class ProviderTypes {

    public static final String OPENAI_COMPATIBLE = "openai-compatible";
    public static final String ANTHROPIC = "anthropic";
    public static final String OLLAMA = "ollama";
    public static final String TGI = "tgi";
    public static final String REPLICATE = "replicate";
    public static final String CUSTOM = "custom";

    public static final List<String> ALL = List.of(OPENAI_COMPATIBLE, ANTHROPIC, OLLAMA, TGI, REPLICATE, CUSTOM);

    private ProviderTypes() {
    }
}
