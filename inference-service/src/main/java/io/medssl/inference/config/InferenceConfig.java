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

        /** How long a replaced model version stays open for requests already using it. */
        @WithDefault("30s")
        Duration retireAfter();
    }
}
