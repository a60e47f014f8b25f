package io.medssl.trainer.bench;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.medssl.models.DjlRuntime;
import io.medssl.models.ModelPackage;
import io.medssl.models.NetworkSpec;
import io.medssl.models.StagedClassifier;
import io.medssl.storage.FileBlobStore;
import io.medssl.trainer.data.LabeledImages;
import io.medssl.trainer.data.LabeledStudies;
import io.medssl.trainer.eval.ClassificationMetrics;
import io.medssl.trainer.finetune.FineTuning;
import io.medssl.trainer.registry.StudyCatalog;
import io.medssl.trainer.ssl.TrainingHooks;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.nio.file.Path;

/**
 * Compares fine-tuning settings on a finished experiment's storage (how the README's sweep was run).
 * Args: storageRoot dataset fraction then per run "model|none,lr,stageDecay,unfreeze0,unfreeze1,steps".
 */
public final class FineTuneSweep {
    public static void main(String[] args) throws Exception {
        DjlRuntime.configure(true, 2);
        Path root = Path.of(args[0]);
        var store = new FileBlobStore(root);
        var json = new ObjectMapper().registerModule(new JavaTimeModule());
        var studies = new StudyCatalog(store, json);
        var split = LabeledStudies.load(store, studies.instances(args[1]), studies.labels(args[1]), 64, 20);
        double fraction = Double.parseDouble(args[2]);
        LabeledImages subset = LabeledStudies.fraction(split.train(), fraction, 1);
        NetworkSpec spec = new NetworkSpec(64, 16, split.train().classes().size(), 1);
        for (int m = 3; m < args.length; m++) {
            String[] parts = args[m].split(",");
            // model,lr,decay,unfreeze0,unfreeze1,steps
            byte[] backbone = null;
            if (!parts[0].equals("none")) {
                try (Model p = ModelPackage.load(root.resolve("models/" + parts[0]), Device.cpu())) {
                    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                    ((StagedClassifier) p.getBlock()).backbone().saveParameters(new DataOutputStream(bytes));
                    backbone = bytes.toByteArray();
                }
            }
            var settings = new FineTuning.Settings(spec, Integer.parseInt(parts[5]), 32, Float.parseFloat(parts[1]),
                    Float.parseFloat(parts[2]), new float[] {Float.parseFloat(parts[3]), Float.parseFloat(parts[4])}, false, true, null,
                    1, backbone);
            try (Model model = Model.newInstance("sweep", Device.cpu())) {
                var r = new FineTuning(settings).train(model, subset, split.validation(), null, new Device[] {Device.cpu()},
                        TrainingHooks.NONE);
                var metrics = ClassificationMetrics.compute(r.validationProbabilities(), r.validationTruth(), split.validation().classes());
                System.out.printf("RESULT %s fraction %.2f (%d images): macro AUC %.3f acc %.3f %s%n", args[m], fraction,
                        subset.count(), metrics.macroAuc(), metrics.accuracy(), metrics.perClassAuc());
            }
        }
    }
}
