package io.medssl.pretext.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

@ConfigMapping(prefix = "medssl")
public interface PretextConfig {

    Storage storage();

    Pretext pretext();

    interface Storage {
        Path root();
    }

    interface Pretext {
        /** Side of the square frames every task starts from; must match what the trainer builds. */
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

        /** Tasks for datasets without their own list (see {@link #datasets()}). */
        @WithDefault("rotation,jigsaw,relative-position,intensity-restoration,inpainting,corruption,frame-order,consistency-views")
        List<String> tasks();

        /** Per-dataset settings: {@code medssl.pretext.datasets.<name>.tasks=rotation,jigsaw}. */
        Map<String, DatasetTasks> datasets();

        /** K, the number of jigsaw permutations (classes). */
        @WithDefault("100")
        int jigsawPermutations();

        @WithDefault("2")
        int jigsawPerFrame();

        @WithDefault("2")
        int relativePositionPerFrame();

        /** Share of each grid cell left out of its tile for jigsaw and relative position. */
        @WithDefault("0.25")
        double patchGap();

        /** How many instances are turned into shards at the same time. */
        @WithDefault("2")
        int workers();
    }

    interface DatasetTasks {
        List<String> tasks();
    }
}
