package io.medssl.trainer.ssl;

import ai.djl.nn.Block;
import io.medssl.trainer.TrainingProgress;
import java.io.IOException;

/** What a training loop reports to, and asks, whoever runs it (a job, a test). */
public interface TrainingHooks {
    void progress(TrainingProgress progress);

    /** Checked every step; a cancelled run stops at the next step boundary. */
    boolean cancelled();

    /** Called every {@code checkpointEvery} steps with the block whose parameters to keep. */
    void checkpoint(int step, Block block) throws IOException;

    TrainingHooks NONE = new TrainingHooks() {
        @Override
        public void progress(TrainingProgress progress) {
        }

        @Override
        public boolean cancelled() {
            return false;
        }

        @Override
        public void checkpoint(int step, Block block) {
        }
    };
}
