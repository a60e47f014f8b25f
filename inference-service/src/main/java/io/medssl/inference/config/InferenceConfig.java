package io.medssl.inference.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;

@ConfigMapping(prefix = "medssl")
public interface InferenceConfig {

    Storage storage();

    Inference inference();

    /**
     * Which model infers on newly ingested instances: the first route whose dataset, modality and
     * body part (each optional, case-insensitive) match. E.g.
     * {@code medssl.routes[0].dataset=chest}, {@code medssl.routes[0].modality=CT},
     * {@code medssl.routes[0].model=chest-ct}. No routes: no automatic inference.
     */
    java.util.List<Route> routes();

    interface Route {
        java.util.Optional<String> dataset();

        java.util.Optional<String> modality();

        java.util.Optional<String> bodyPart();

        String model();
    }

    interface Storage {
        Path root();
    }

    interface Inference {
        /** auto | cpu | gpu | gpu:N */
        @WithDefault("auto")
        String device();

        /**
         * Intra-op threads of a CPU forward pass. One keeps a single image's forward from waiting
         * on idle threads and leaves the other cores to HTTP and JSON; concurrent requests are
         * batched instead (on 2 cores: 1.9x the single-image requests/s at 16 clients, the same
         * 16-image throughput, compared with 2). Raise it on many-core nodes serving large batches.
         */
        @WithDefault("1")
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
