package io.visca.gateway.registry.provider.preset;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.runtime.StartupEvent;
import io.visca.gateway.kit.json.WireNamingStrategy;

/**
 * The presets of "Add Custom Provider", one per provider the product page lists, from the one data file
 * {@code provider-presets.json} on the class path (read once at start, on the startup thread: no file I/O on an event
 * loop). The dashboard fills its form from them and {@code GET /api/provider-presets} serves them as they are.
 */
@ApplicationScoped
public class ProviderPresets {

    /** The data file, in the registry's resources. */
    public static final String RESOURCE = "provider-presets.json";

    private volatile List<ProviderPreset> presets;

    /** The file's content: when its facts were last checked against each product's documentation, and the presets. */
    public record File(String checked, List<ProviderPreset> presets) {
    }

    void onStart(@Observes StartupEvent event) {
        all();
    }

    /** Every preset, in the file's order. */
    public List<ProviderPreset> all() {
        List<ProviderPreset> loaded = presets;
        if (loaded == null) {
            loaded = read().presets();
            presets = loaded;
        }
        return loaded;
    }

    public Optional<ProviderPreset> find(String id) {
        return id == null ? Optional.empty() : all().stream().filter(p -> p.id().equals(id)).findFirst();
    }

    /** Reads the data file with the API's wire names (snake_case); unknown fields are a mistake in the file. */
    public static File read() {
        ObjectMapper mapper = new ObjectMapper().setPropertyNamingStrategy(new WireNamingStrategy())
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        try (InputStream in = ProviderPresets.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the class path");
            }
            File file = mapper.readValue(in, File.class);
            return new File(file.checked(), List.copyOf(file.presets()));
        } catch (IOException e) {
            throw new UncheckedIOException(RESOURCE + " cannot be read", e);
        }
    }
}
