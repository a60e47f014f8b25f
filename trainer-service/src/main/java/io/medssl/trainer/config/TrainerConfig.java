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
        /**
         * {@code auto} (every GPU the engine sees, else CPU), {@code cpu}, or {@code gpu:0,1} — a
         * batch is split across the listed GPUs of this node (data parallel).
         */
        @WithDefault("auto")
        String devices();

        /** Intra-op threads for PyTorch on CPU. */
        @WithDefault("2")
        int threads();

        @WithDefault("true")
        boolean offline();

        /** Steps of the pretraining job started automatically when new shards arrive. */
        @WithDefault("60")
        int steps();

        @WithDefault("32")
        int batchSize();

        /** Peak learning rate of the one-cycle schedule. */
        @WithDefault("0.002")
        float learningRate();

        /** Backbone width (channels of the first stage). */
        @WithDefault("16")
        int width();

        /** Residual blocks per backbone stage. */
        @WithDefault("1")
        int depth();

        @WithDefault("64")
        int inputSize();

        @WithDefault("7")
        long seed();

        /** Share of patients held out for validation; must match pretext-service's. */
        @WithDefault("20")
        int validationPercent();

        /** Write a checkpoint every this many steps (0 = never). */
        @WithDefault("50")
        int checkpointEvery();

        Consistency consistency();

        Finetune finetune();

        /** Pretrain automatically once no new shard arrived for this long (new data comes in bursts). */
        @WithDefault("true")
        boolean autoPretrain();

        @WithDefault("5s")
        Duration quietPeriod();

        /** Don't pretrain on fewer training samples than this. */
        @WithDefault("16")
        int minSamples();
    }

    interface Consistency {
        /** kl | infonce | both | none */
        @WithDefault("both")
        String kind();

        @WithDefault("0.5")
        float weight();

        @WithDefault("0.5")
        float temperature();
    }

    interface Finetune {
        @WithDefault("150")
        int steps();

        @WithDefault("0.003")
        float learningRate();

        /** Each backbone stage learns at this times the rate of the stage above it. */
        @WithDefault("0.8")
        float stageDecay();

        /**
         * Fractions of a fine-tuning run at which stage3, then the whole backbone, start training
         * (before the first, only the head trains). Milder than the usual thirds: on the phantom
         * data later unfreezing cost AUC (bench notes in the README).
         */
        @WithDefault("0.1,0.2")
        java.util.List<Float> unfreezeAt();

        /**
         * Keep BatchNorm in inference mode in every stage, trainable or not. Frozen stages always
         * keep theirs; off by default because on the phantom and synthetic data here it cost
         * 0.2 AUC (0.74 vs 0.94 held-out in JobsTest's fine-tune).
         */
        @WithDefault("false")
        boolean freezeBatchNorm();
    }
}
