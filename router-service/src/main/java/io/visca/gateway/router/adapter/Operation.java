package io.visca.gateway.router.adapter;

/** The /v1 operations, each served by adapters that support it. */
public enum Operation {
    CHAT("chat completions"),
    COMPLETIONS("text completions"),
    EMBEDDINGS("embeddings");

    private final String label;

    Operation(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
