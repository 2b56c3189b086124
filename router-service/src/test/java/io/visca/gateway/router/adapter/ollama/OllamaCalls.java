package io.visca.gateway.router.adapter.ollama;

import io.vertx.core.MultiMap;
import io.visca.gateway.router.adapter.AdapterCallKit;
import io.visca.gateway.router.adapter.AdapterCallKit.Setup;
import io.visca.gateway.router.adapter.Operation;
import io.visca.gateway.router.adapter.UpstreamCall;

/** Calls to a local Ollama ({@code llama3:8b}) for the Ollama adapter's unit tests. */
final class OllamaCalls {

    static final OllamaAdapter ADAPTER = new OllamaAdapter();
    private static final Setup OLLAMA = Setup.of("http://localhost:11434", "llama3:8b");

    private OllamaCalls() {
    }

    static UpstreamCall call(Operation operation, String request) {
        return AdapterCallKit.call(ADAPTER, OLLAMA, operation, request, MultiMap.caseInsensitiveMultiMap(), null);
    }
}
