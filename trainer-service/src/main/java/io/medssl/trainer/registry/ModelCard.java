package io.medssl.trainer.registry;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a model is, for the people who decide whether to use it: data lineage, pretext tasks,
 * hyper-parameters, held-out metrics, framework versions and checksum. Written into the model
 * package as {@code model-card.json} and {@code model-card.md}.
 */
public record ModelCard(String name, int version, String task, String intendedUse, List<String> labels,
                        Map<String, String> lineage, List<String> pretextTasks, Map<String, Object> hyperParameters,
                        Map<String, Double> metrics, int[][] confusion, Map<String, String> framework, String sha256,
                        String createdAt) {

    public String markdown() {
        StringBuilder md = new StringBuilder();
        md.append("# Model card: ").append(name).append(" v").append(version).append("\n\n");
        md.append("- Task: ").append(task).append("\n");
        md.append("- Intended use: ").append(intendedUse).append("\n");
        md.append("- Labels: ").append(String.join(", ", labels)).append("\n");
        md.append("- Created: ").append(createdAt).append("\n");
        md.append("- Parameters SHA-256: `").append(sha256).append("`\n\n");
        md.append("## Data lineage\n\n");
        lineage.forEach((k, v) -> md.append("- ").append(k).append(": ").append(v).append("\n"));
        md.append("\nNo image, identifier or other patient data is in this package: the trainer only ever saw "
                + "de-identified pixel arrays and pseudonyms.\n\n");
        if (!pretextTasks.isEmpty()) {
            md.append("## Self-supervised pretext tasks\n\n").append(String.join(", ", pretextTasks)).append("\n\n");
        }
        md.append("## Hyper-parameters\n\n");
        hyperParameters.forEach((k, v) -> md.append("- ").append(k).append(": ").append(v).append("\n"));
        md.append("\n## Metrics (held-out patients)\n\n| metric | value |\n|---|---|\n");
        metrics.forEach((k, v) -> md.append("| ").append(k).append(" | ").append(String.format(Locale.ROOT, "%.4f", v)).append(" |\n"));
        if (confusion != null && confusion.length > 0) {
            md.append("\n## Confusion matrix (rows: truth, columns: predicted)\n\n| |");
            labels.forEach(l -> md.append(" ").append(l).append(" |"));
            md.append("\n|---|");
            labels.forEach(l -> md.append("---|"));
            md.append("\n");
            for (int i = 0; i < confusion.length; i++) {
                md.append("| ").append(labels.get(i)).append(" |");
                for (int c : confusion[i]) {
                    md.append(" ").append(c).append(" |");
                }
                md.append("\n");
            }
        }
        md.append("\n## Framework\n\n");
        framework.forEach((k, v) -> md.append("- ").append(k).append(": ").append(v).append("\n"));
        return md.toString();
    }
}
