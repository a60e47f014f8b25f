package io.medssl.trainer.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;

@ConfigMapping(prefix = "medssl")
public interface TrainerConfig {

    Storage storage();

    Trainer trainer();

    interface Storage {
        Path root();
    }

    interface Trainer {
        /** auto | cpu | gpu | gpu:N */
        @WithDefault("auto")
        String device();

        /** Intra-op threads for PyTorch on CPU. */
        @WithDefault("2")
        int threads();

        @WithDefault("true")
        boolean offline();

        @WithDefault("60")
        int steps();

        @WithDefault("32")
        int batchSize();

        @WithDefault("0.001")
        float learningRate();

        /** Backbone width (channels of the first stage). */
        @WithDefault("16")
        int width();

        @WithDefault("64")
        int inputSize();

        @WithDefault("7")
        long seed();

        /** Train once no new shard arrived for this long (new data comes in bursts). */
        @WithDefault("5s")
        Duration quietPeriod();

        /** Don't train on fewer training samples than this. */
        @WithDefault("16")
        int minSamples();
    }
}
