package io.medssl.trainer.finetune;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import ai.djl.util.Pair;
import io.medssl.models.NetworkSpec;
import io.medssl.models.Networks;
import io.medssl.models.StagedClassifier;
import io.medssl.trainer.loss.PretextLosses;
import io.medssl.trainer.optim.OneCycleSchedule;
import io.medssl.trainer.optim.StageLearningRates;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Frozen stages keep weights and BatchNorm statistics; trainable ones move; rates shrink per stage. */
class StageFreezingTest {
    static final NetworkSpec SPEC = new NetworkSpec(32, 4, 3);

    private static Map<String, float[]> snapshot(Block block) {
        Map<String, float[]> values = new LinkedHashMap<>();
        for (Pair<String, Parameter> p : block.getParameters()) {
            values.put(p.getValue().getId(), p.getValue().getArray().toFloatArray());
        }
        return values;
    }

    private static boolean changed(Map<String, float[]> before, Block block, String nameContains) {
        for (Pair<String, Parameter> p : block.getParameters()) {
            if (p.getKey().contains(nameContains) && !java.util.Arrays.equals(before.get(p.getValue().getId()), p.getValue().getArray().toFloatArray())) {
                return true;
            }
        }
        return false;
    }

    private static void train(Trainer trainer, int steps) {
        Random r = new Random(3);
        for (int s = 0; s < steps; s++) {
            try (NDManager m = trainer.getManager().newSubManager()) {
                float[] x = new float[8 * 32 * 32];
                for (int i = 0; i < x.length; i++) {
                    x[i] = r.nextFloat();
                }
                long[] y = new long[8];
                for (int i = 0; i < 8; i++) {
                    y[i] = r.nextInt(3);
                }
                try (GradientCollector c = trainer.newGradientCollector()) {
                    NDArray logits = trainer.forward(new NDList(m.create(x, new Shape(8, 1, 32, 32)))).singletonOrThrow();
                    c.backward(PretextLosses.crossEntropy(logits, m.create(y)));
                }
                trainer.step();
            }
        }
    }

    @Test
    void frozenStagesKeepWeightsAndBatchNormStatistics() {
        try (Model model = Model.newInstance("freeze", Device.cpu())) {
            StagedClassifier net = Networks.classifier(SPEC);
            model.setBlock(net);
            try (Trainer trainer = model.newTrainer(new DefaultTrainingConfig(Loss.l2Loss())
                    .optOptimizer(Optimizer.adam().optLearningRateTracker(Tracker.fixed(0.01f)).build()))) {
                trainer.initialize(new Shape(8, 1, 32, 32));
                net.backbone().freezeStages(2);
                Map<String, float[]> before = snapshot(net);
                train(trainer, 3);
                Block backbone = net.backbone();
                assertThat(changed(before, backbone, "stem")).as("stem (frozen)").isFalse();
                assertThat(changed(before, backbone, "stage1")).as("stage1 (frozen)").isFalse();
                assertThat(changed(before, backbone, "stage2")).as("stage2 (trainable)").isTrue();
                assertThat(changed(before, net, "head")).as("head").isTrue();

                // Unfrozen again it trains; with BatchNorm frozen, running statistics stay while weights move.
                net.backbone().freezeStages(0);
                net.backbone().setBatchNormFrozen(true);
                Map<String, float[]> again = snapshot(net);
                train(trainer, 3);
                boolean statsMoved = false;
                for (Pair<String, Parameter> p : net.getParameters()) {
                    Parameter.Type type = p.getValue().getType();
                    if ((type == Parameter.Type.RUNNING_MEAN || type == Parameter.Type.RUNNING_VAR)
                            && !java.util.Arrays.equals(again.get(p.getValue().getId()), p.getValue().getArray().toFloatArray())) {
                        statsMoved = true;
                    }
                }
                assertThat(statsMoved).as("BatchNorm statistics with BatchNorm frozen").isFalse();
                assertThat(changed(again, backbone, "stem")).as("stem weights once unfrozen").isTrue();
            }
        }
    }

    @Test
    void learningRatesShrinkPerStageBelowTheHead() {
        try (Model model = Model.newInstance("rates", Device.cpu())) {
            StagedClassifier net = Networks.classifier(SPEC);
            model.setBlock(net);
            net.initialize(model.getNDManager(), ai.djl.ndarray.types.DataType.FLOAT32, new Shape(1, 1, 32, 32));
            AtomicInteger step = new AtomicInteger(30);
            StageLearningRates rates = new StageLearningRates(OneCycleSchedule.of(0.01f, 100), step, net.backbone(), 0.5f);
            String stage3 = net.backbone().stages().get(3).getParameters().get(0).getValue().getId();
            String stem = net.backbone().stages().get(0).getParameters().get(0).getValue().getId();
            String head = net.head().getParameters().get(0).getValue().getId();
            assertThat(rates.getNewValue(head, 0)).isEqualTo(0.01f);
            assertThat(rates.getNewValue(stage3, 0)).isEqualTo(0.005f);
            assertThat(rates.getNewValue(stem, 0)).isEqualTo(0.01f * 0.0625f);
        }
    }

    @Test
    void unfreezingFollowsTheSchedule() {
        float[] at = FineTuning.Settings.defaultUnfreezing();
        assertThat(FineTuning.frozenStagesAt(0, 100, at, true)).isEqualTo(4);
        assertThat(FineTuning.frozenStagesAt(9, 100, at, true)).isEqualTo(4);
        assertThat(FineTuning.frozenStagesAt(10, 100, at, true)).isEqualTo(3);
        assertThat(FineTuning.frozenStagesAt(20, 100, at, true)).isZero();
        assertThat(FineTuning.frozenStagesAt(0, 100, at, false)).isZero();
    }
}
