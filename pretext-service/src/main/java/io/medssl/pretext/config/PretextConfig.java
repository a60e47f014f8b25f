package io.medssl.pretext.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;

@ConfigMapping(prefix = "medssl")
public interface PretextConfig {

    Storage storage();

    Pretext pretext();

    interface Storage {
        Path root();
    }

    interface Pretext {
        /** Side of the square network input; must match what the trainer builds. */
        @WithDefault("64")
        int inputSize();

        /** At most this many frames (evenly spaced) are taken from a multi-frame object. */
        @WithDefault("4")
        int maxFrames();

        /** Share of patients (by pseudonym, never by image) held out for validation. */
        @WithDefault("20")
        int validationPercent();

        /** Base seed; each sample's randomness derives from (instance, task, seed). */
        @WithDefault("42")
        long seed();
    }
}
