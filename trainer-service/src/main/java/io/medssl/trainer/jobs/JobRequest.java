package io.medssl.trainer.jobs;

import java.util.List;

/**
 * {@code POST /api/v1/jobs}. Omitted fields take the trainer's configured defaults; the stored
 * request has them filled in, so a job is reproducible from its record.
 *
 * @param type {@code pretrain} (self-supervised, on the dataset's pretext shards) or
 *     {@code finetune} (on the dataset's labelled studies)
 * @param tasks pretext tasks to learn (pretrain; null = every task the shards carry)
 * @param epochs passes over the training samples; ignored when {@code steps} is given
 * @param consistency the consistency loss (pretrain: between the two views; finetune: UDA on
 *     unlabelled views when {@code uda} is true); null or weight 0 = off
 * @param labelFraction share of the labelled training patients to use (finetune), e.g. 0.01, 0.1, 1
 * @param pretrained finetune from this pretrain model ({@code name} or {@code name:version});
 *     null or {@code none} = from scratch
 * @param modelName name to publish under (default {@code <dataset>-ssl} / {@code <dataset>-classifier})
 * @param labelFractions experiment: the label fractions to compare at (default 0.01, 0.1, 1)
 * @param finetuneSteps experiment: steps of each fine-tuning run ({@code steps} are the pretraining's)
 */
public record JobRequest(String type, String dataset, List<String> tasks, Integer epochs, Integer steps, Integer batchSize,
                         Float learningRate, Consistency consistency, Double labelFraction, Long seed, String pretrained,
                         Boolean uda, Integer width, Integer depth, String modelName, List<Double> labelFractions,
                         Integer finetuneSteps) {

    public static final String PRETRAIN = "pretrain";
    public static final String FINETUNE = "finetune";
    /**
     * The label-efficiency experiment: SSL pretraining with and without the consistency term,
     * then fine-tuning from scratch and from each pretrained backbone at every label fraction, on
     * the same patient splits; writes a table and a plot.
     */
    public static final String EXPERIMENT = "experiment";

    public static JobRequest of(String type, String dataset) {
        return new JobRequest(type, dataset, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null);
    }

    /** {@code kind}: kl | infonce | both; {@code weight}: λ; {@code temperature}: τ. */
    public record Consistency(String kind, Float weight, Float temperature) {
    }
}
