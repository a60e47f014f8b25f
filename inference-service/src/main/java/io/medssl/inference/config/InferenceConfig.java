package io.medssl.inference.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;

@ConfigMapping(prefix = "medssl")
public interface InferenceConfig {

    Storage storage();

    Inference inference();

    interface Storage {
        Path root();
    }

    interface Inference {
        /** auto | cpu | gpu | gpu:N */
        @WithDefault("auto")
        String device();

        @WithDefault("2")
        int threads();

        @WithDefault("true")
        boolean offline();

        /** How long a retired model version stays open for requests already holding it. */
        @WithDefault("30s")
        Duration retireAfter();

        /** Versions of each model kept loaded (for pinning and rollback without reloading). */
        @WithDefault("3")
        int keepVersions();

        /** Requests that may wait per model version before new ones get 503. */
        @WithDefault("64")
        int queueCapacity();

        /** Largest batch one forward pass takes. */
        @WithDefault("16")
        int maxBatch();

        /** How long the batcher waits for more requests once it has one; 0 batches only what is already waiting. */
        @WithDefault("0")
        long maxDelayMicros();
    }
}
