package io.medssl.trainer.eval;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Evaluation of a single-label classifier from its per-sample class scores: accuracy, confusion
 * matrix and one-vs-rest ROC AUC per class, plus their macro average. The record's components are
 * plain values, so Jackson writes it (and reads it back) as a JSON object.
 *
 * <p>Scores are ranked, never thresholded at 0.5, so any monotone score works: softmax
 * probabilities, logits or log-probabilities. The prediction of a sample is the argmax of its row.
 *
 * <p><b>Two classes.</b> With {@code K = 2} the score of class {@code c} is the margin
 * {@code s[c] − s[1−c]}: for probability rows it orders samples exactly as {@code p[c]} does (so the
 * AUC is the usual binary AUC that e.g. scikit-learn computes from {@code p[:, 1]}), it stays correct
 * for unnormalised logits, and the two classes get the same AUC by construction (a binary problem
 * has one ROC curve, seen from either side).
 *
 * <p><b>Non-finite scores.</b> A NaN score ranks below every number (as −∞) and never wins the
 * argmax, so a diverged model evaluates to chance instead of failing the run.
 *
 * @param count number of samples evaluated
 * @param classes class names, index = class id
 * @param accuracy fraction of samples whose argmax equals the truth (NaN when {@code count == 0})
 * @param macroAuc mean of the defined per-class AUCs (NaN when none is defined)
 * @param perClassAuc one-vs-rest AUC by class name, in class order; NaN for a class that has no
 *     positive or no negative sample
 * @param confusion {@code confusion[truth][predicted]} sample counts
 */
public record ClassificationMetrics(int count, List<String> classes, double accuracy, double macroAuc,
        Map<String, Double> perClassAuc, int[][] confusion) {

    public ClassificationMetrics {
        classes = List.copyOf(classes);
        perClassAuc = Collections.unmodifiableMap(new LinkedHashMap<>(perClassAuc));
        int k = classes.size();
        if (confusion.length != k || Arrays.stream(confusion).anyMatch(row -> row.length != k)) {
            throw new IllegalArgumentException("confusion matrix must be " + k + "×" + k);
        }
        int[][] copy = new int[k][];
        for (int i = 0; i < k; i++) {
            copy[i] = confusion[i].clone();
        }
        confusion = copy;
    }

    /**
     * One class's ROC curve: points ({@code fpr[i]}, {@code tpr[i]}) obtained by predicting the class
     * for every sample whose score is {@code >= thresholds[i]}. Thresholds are the distinct scores in
     * descending order, preceded by +∞ for the point (0, 0); the last point is (1, 1). For
     * {@code K = 2} the scores are margins (see {@link ClassificationMetrics}). A class without
     * positives or without negatives has no curve: empty arrays and a NaN AUC.
     */
    public record RocCurve(String label, double auc, double[] fpr, double[] tpr, double[] thresholds) {
        public RocCurve {
            Objects.requireNonNull(label, "label");
            if (fpr.length != tpr.length || fpr.length != thresholds.length) {
                throw new IllegalArgumentException("fpr, tpr and thresholds differ in length");
            }
        }

        /** Whether the curve has points, i.e. the class had positives and negatives. */
        public boolean defined() {
            return fpr.length > 0;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof RocCurve r && label.equals(r.label) && Double.compare(auc, r.auc) == 0
                    && Arrays.equals(fpr, r.fpr) && Arrays.equals(tpr, r.tpr) && Arrays.equals(thresholds, r.thresholds);
        }

        @Override
        public int hashCode() {
            return Objects.hash(label, auc, Arrays.hashCode(fpr), Arrays.hashCode(tpr), Arrays.hashCode(thresholds));
        }

        @Override
        public String toString() {
            return "RocCurve[" + label + ", auc=" + auc + ", " + fpr.length + " points]";
        }
    }

    /**
     * Computes the metrics.
     *
     * @param probs one row of {@code classes.size()} scores per sample
     * @param truth the true class index of each sample, in {@code [0, classes.size())}
     * @param classes class names (at least two)
     */
    public static ClassificationMetrics compute(float[][] probs, int[] truth, List<String> classes) {
        int k = validate(probs, truth, classes);
        int n = truth.length;
        int[][] confusion = new int[k][k];
        int correct = 0;
        for (int i = 0; i < n; i++) {
            int predicted = argmax(probs[i]);
            confusion[truth[i]][predicted]++;
            if (predicted == truth[i]) {
                correct++;
            }
        }
        Map<String, Double> perClass = new LinkedHashMap<>();
        double sum = 0;
        int defined = 0;
        for (int c = 0; c < k; c++) {
            double auc = auc(classScores(probs, c, k), positives(truth, c));
            perClass.put(classes.get(c), auc);
            if (!Double.isNaN(auc)) {
                sum += auc;
                defined++;
            }
        }
        double accuracy = n == 0 ? Double.NaN : (double) correct / n;
        double macro = defined == 0 ? Double.NaN : sum / defined;
        return new ClassificationMetrics(n, classes, accuracy, macro, perClass, confusion);
    }

    /** The one-vs-rest ROC curve of every class, in class order (same scores as {@link #compute}). */
    public static List<RocCurve> rocCurves(float[][] probs, int[] truth, List<String> classes) {
        int k = validate(probs, truth, classes);
        List<RocCurve> curves = new ArrayList<>(k);
        for (int c = 0; c < k; c++) {
            curves.add(rocCurve(classes.get(c), classScores(probs, c, k), positives(truth, c)));
        }
        return List.copyOf(curves);
    }

    /**
     * Exact ROC AUC by the Mann–Whitney rank formula: the probability that a random positive scores
     * above a random negative, ties counting one half. NaN when there is no positive or no negative.
     */
    public static double auc(double[] scores, boolean[] positive) {
        if (scores.length != positive.length) {
            throw new IllegalArgumentException(scores.length + " scores for " + positive.length + " labels");
        }
        int n = scores.length;
        long pos = 0;
        for (boolean p : positive) {
            if (p) {
                pos++;
            }
        }
        long neg = n - pos;
        if (pos == 0 || neg == 0) {
            return Double.NaN;
        }
        Integer[] order = ascending(scores);
        // Sum of the (1-based, tie-averaged) ranks of the positives.
        double rankSum = 0;
        for (int i = 0; i < n; ) {
            int j = i;
            double s = rank(scores[order[i]]);
            int tiedPositives = 0;
            while (j < n && rank(scores[order[j]]) == s) {
                if (positive[order[j]]) {
                    tiedPositives++;
                }
                j++;
            }
            // Ranks i+1 .. j share their mean.
            rankSum += tiedPositives * ((i + 1 + j) / 2.0);
            i = j;
        }
        return (rankSum - pos * (pos + 1) / 2.0) / ((double) pos * neg);
    }

    /** The ROC curve of one score against binary labels (see {@link RocCurve}). */
    public static RocCurve rocCurve(String label, double[] scores, boolean[] positive) {
        double auc = auc(scores, positive);
        if (Double.isNaN(auc)) {
            return new RocCurve(label, auc, new double[0], new double[0], new double[0]);
        }
        int n = scores.length;
        long pos = 0;
        for (boolean p : positive) {
            if (p) {
                pos++;
            }
        }
        long neg = n - pos;
        Integer[] order = ascending(scores);
        List<double[]> points = new ArrayList<>();
        points.add(new double[] {0, 0, Double.POSITIVE_INFINITY});
        long tp = 0;
        long fp = 0;
        for (int i = n - 1; i >= 0; ) {
            double s = rank(scores[order[i]]);
            while (i >= 0 && rank(scores[order[i]]) == s) {
                if (positive[order[i]]) {
                    tp++;
                } else {
                    fp++;
                }
                i--;
            }
            points.add(new double[] {(double) fp / neg, (double) tp / pos, s});
        }
        double[] fpr = new double[points.size()];
        double[] tpr = new double[points.size()];
        double[] thresholds = new double[points.size()];
        for (int i = 0; i < points.size(); i++) {
            fpr[i] = points.get(i)[0];
            tpr[i] = points.get(i)[1];
            thresholds[i] = points.get(i)[2];
        }
        return new RocCurve(label, auc, fpr, tpr, thresholds);
    }

    /** Index of the largest score; NaN never wins, the first index wins ties, 0 for an all-NaN row. */
    public static int argmax(float[] row) {
        int best = 0;
        float bestValue = Float.NEGATIVE_INFINITY;
        boolean found = false;
        for (int c = 0; c < row.length; c++) {
            float v = row[c];
            if (!Float.isNaN(v) && (!found || v > bestValue)) {
                best = c;
                bestValue = v;
                found = true;
            }
        }
        return best;
    }

    private static int validate(float[][] probs, int[] truth, List<String> classes) {
        int k = classes.size();
        if (k < 2) {
            throw new IllegalArgumentException("need at least two classes, got " + classes);
        }
        if (probs.length != truth.length) {
            throw new IllegalArgumentException(probs.length + " score rows for " + truth.length + " labels");
        }
        for (int i = 0; i < truth.length; i++) {
            if (probs[i].length != k) {
                throw new IllegalArgumentException("row " + i + " has " + probs[i].length + " scores for " + k + " classes");
            }
            if (truth[i] < 0 || truth[i] >= k) {
                throw new IllegalArgumentException("label " + truth[i] + " of sample " + i + " outside [0, " + k + ")");
            }
        }
        return k;
    }

    private static double[] classScores(float[][] probs, int c, int k) {
        double[] scores = new double[probs.length];
        boolean binary = k == 2;
        for (int i = 0; i < probs.length; i++) {
            scores[i] = binary ? (double) probs[i][c] - probs[i][1 - c] : probs[i][c];
        }
        return scores;
    }

    private static boolean[] positives(int[] truth, int c) {
        boolean[] positive = new boolean[truth.length];
        for (int i = 0; i < truth.length; i++) {
            positive[i] = truth[i] == c;
        }
        return positive;
    }

    /** NaN ranks as −∞ (and −0.0 equals 0.0), so sorting and tie detection agree. */
    private static double rank(double score) {
        return Double.isNaN(score) ? Double.NEGATIVE_INFINITY : score + 0.0;
    }

    private static Integer[] ascending(double[] scores) {
        Integer[] order = new Integer[scores.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(rank(scores[a]), rank(scores[b])));
        return order;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ClassificationMetrics m && count == m.count && classes.equals(m.classes)
                && Double.compare(accuracy, m.accuracy) == 0 && Double.compare(macroAuc, m.macroAuc) == 0
                && perClassAuc.equals(m.perClassAuc) && Arrays.deepEquals(confusion, m.confusion);
    }

    @Override
    public int hashCode() {
        return Objects.hash(count, classes, accuracy, macroAuc, perClassAuc, Arrays.deepHashCode(confusion));
    }

    @Override
    public String toString() {
        return "ClassificationMetrics[count=" + count + ", classes=" + classes + ", accuracy=" + accuracy + ", macroAuc="
                + macroAuc + ", perClassAuc=" + perClassAuc + ", confusion=" + Arrays.deepToString(confusion) + "]";
    }
}
