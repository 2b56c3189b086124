package io.visca.gateway.contracts.provider;

/**
 * The names of the built-in provider types, for the code that belongs to one of them. Which types exist is not
 * decided here: each is a package of {@code gateway-providers}, found at start ({@code KnownProviderTypes}).
 */
public final class ProviderTypes {

    public static final String OPENAI_COMPATIBLE = "openai-compatible";
    public static final String ANTHROPIC = "anthropic";
    public static final String OLLAMA = "ollama";
    public static final String TGI = "tgi";
    public static final String REPLICATE = "replicate";
    public static final String CUSTOM = "custom";

    private ProviderTypes() {
    }
}
