package io.medssl.trainer.optim;

import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.tracker.ParameterTracker;
import ai.djl.util.Pair;
import io.medssl.models.StagedBackbone;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Discriminative learning rates on a one-cycle schedule: the head learns at the schedule's rate,
 * each backbone stage below it at {@code decay} times the rate of the stage above (stage3 ×decay,
 * stage2 ×decay², …), because early features are generic and easily destroyed by large updates.
 * DJL asks the tracker per parameter id; the step comes from the training loop's counter.
 */
public final class StageLearningRates implements ParameterTracker {
    private final OneCycleSchedule schedule;
    private final AtomicInteger step;
    private final Map<String, Float> factors = new HashMap<>();

    public StageLearningRates(OneCycleSchedule schedule, AtomicInteger step, StagedBackbone backbone, float decay) {
        this.schedule = schedule;
        this.step = step;
        List<Block> stages = backbone.stages();
        for (int i = 0; i < stages.size(); i++) {
            float factor = (float) Math.pow(decay, stages.size() - i);
            for (Pair<String, Parameter> p : stages.get(i).getParameters()) {
                factors.put(p.getValue().getId(), factor);
            }
        }
    }

    /** The factor applied to a parameter's rate (1 for parameters outside the backbone). */
    public float factor(String parameterId) {
        return factors.getOrDefault(parameterId, 1f);
    }

    @Override
    public float getNewValue(String parameterId, int numUpdate) {
        return schedule.at(step.get()) * factor(parameterId);
    }
}
