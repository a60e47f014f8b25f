package io.medssl.pretext.tasks;

/**
 * One sample of a pretext task.
 *
 * @param input the network input, flattened (C × H × W)
 * @param label the class, for classification tasks (else -1)
 * @param target the regression target or second view, flattened (else null)
 */
public record TaskSample(float[] input, int label, float[] target) {

    public static TaskSample classified(float[] input, int label) {
        return new TaskSample(input, label, null);
    }

    public static TaskSample regressed(float[] input, float[] target) {
        return new TaskSample(input, -1, target);
    }
}
