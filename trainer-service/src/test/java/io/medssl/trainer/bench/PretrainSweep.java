package io.medssl.trainer.bench;

import ai.djl.Device;
import ai.djl.Model;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.medssl.contracts.PretextShardReady;
import io.medssl.models.DjlRuntime;
import io.medssl.models.MultiTaskNetwork;
import io.medssl.models.NetworkSpec;
import io.medssl.storage.FileBlobStore;
import io.medssl.trainer.data.LabeledImages;
import io.medssl.trainer.data.LabeledStudies;
import io.medssl.trainer.data.PretextSamples;
import io.medssl.trainer.eval.ClassificationMetrics;
import io.medssl.trainer.finetune.FineTuning;
import io.medssl.trainer.loss.ConsistencyLoss;
import io.medssl.trainer.registry.ShardCatalog;
import io.medssl.trainer.registry.StudyCatalog;
import io.medssl.trainer.ssl.MultiTaskPretraining;
import io.medssl.trainer.ssl.TrainingHooks;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Compares pretraining settings on an experiment's storage: pretrain with the given
 * tasks and steps, then fine-tune at a label fraction; prints held-out macro AUC.
 * Args: storageRoot dataset fraction pretrainSteps finetuneSteps consistency(none|kl|infonce|both) tasks(comma)…
 */
public final class PretrainSweep {
    public static void main(String[] args) throws Exception {
        DjlRuntime.configure(true, 2);
        Path root = Path.of(args[0]);
        String dataset = args[1];
        double fraction = Double.parseDouble(args[2]);
        int pretrainSteps = Integer.parseInt(args[3]);
        int finetuneSteps = Integer.parseInt(args[4]);
        var store = new FileBlobStore(root);
        var json = new ObjectMapper().registerModule(new JavaTimeModule());
        var studies = new StudyCatalog(store, json);
        var split = LabeledStudies.load(store, studies.instances(dataset), studies.labels(dataset), 64, 20);
        LabeledImages subset = LabeledStudies.fraction(split.train(), fraction, 1);
        List<PretextShardReady> shards = new ShardCatalog(store, json).shards(dataset).stream()
                .filter(s -> !"validation".equals(s.split())).toList();
        for (int c = 5; c < args.length; c++) {
            String[] spec = args[c].split(":");
            ConsistencyLoss consistency = spec[0].equals("none") ? null
                    : new ConsistencyLoss(ConsistencyLoss.Kind.parse(spec[0]), 0.5f, 0.5f);
            List<String> tasks = Arrays.asList(spec[1].split(","));
            Map<String, PretextSamples> train = PretextSamples.load(store, shards, tasks);
            byte[] backbone = null;
            if (pretrainSteps > 0) {
                var settings = new MultiTaskPretraining.Settings(new NetworkSpec(64, 16, 4, 1), pretrainSteps, 32, 0.002f, consistency,
                        1, 0, 0, null);
                try (Model model = Model.newInstance("pre", Device.cpu())) {
                    new MultiTaskPretraining(settings).train(model, train, Map.of(), new Device[] {Device.cpu()}, TrainingHooks.NONE);
                    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                    ((MultiTaskNetwork) model.getBlock()).backbone().saveParameters(new DataOutputStream(bytes));
                    backbone = bytes.toByteArray();
                }
            }
            NetworkSpec fine = new NetworkSpec(64, 16, split.train().classes().size(), 1);
            for (float[] unfreeze : List.of(new float[] {0.1f, 0.2f}, new float[] {0f, 0f})) {
                var settings = new FineTuning.Settings(fine, finetuneSteps, 32, 0.003f, 0.8f, unfreeze, false, true, null, 1, backbone);
                try (Model model = Model.newInstance("fine", Device.cpu())) {
                    var r = new FineTuning(settings).train(model, subset, split.validation(), null, new Device[] {Device.cpu()},
                            TrainingHooks.NONE);
                    var m = ClassificationMetrics.compute(r.validationProbabilities(), r.validationTruth(), split.validation().classes());
                    System.out.printf("RESULT %s pretrain %d unfreeze %s: macro AUC %.3f %s%n", args[c], pretrainSteps,
                            Arrays.toString(unfreeze), m.macroAuc(), m.perClassAuc());
                }
            }
        }
    }
}
