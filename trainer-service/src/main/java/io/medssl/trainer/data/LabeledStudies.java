package io.medssl.trainer.data;

import io.medssl.contracts.InstanceIngested;
import io.medssl.contracts.LabelAssigned;
import io.medssl.contracts.PatientSplit;
import io.medssl.imaging.ModelInput;
import io.medssl.imaging.PixelArray;
import io.medssl.storage.BlobStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * A dataset's labelled images, split by patient with the rule pretext-service uses for its shards
 * ({@link PatientSplit}), so a patient held out here was held out of pretraining's training split
 * too. One image per instance (its middle frame), through {@link ModelInput#square} like every
 * other input of the product.
 */
public final class LabeledStudies {
    private LabeledStudies() {
    }

    /** Training pool and held-out validation images. */
    public record Split(LabeledImages train, LabeledImages validation) {
    }

    public static Split load(BlobStore store, List<InstanceIngested> instances, List<LabelAssigned> labels, int size,
                             int validationPercent) throws IOException {
        Map<String, String> labelByStudy = new HashMap<>();
        labels.forEach(l -> labelByStudy.put(l.studyId(), l.label()));
        List<String> classes = new ArrayList<>(new TreeSet<>(labelByStudy.values()));
        List<InstanceIngested> labelled = instances.stream()
                .filter(i -> i.decodable() && i.pixelKey() != null && labelByStudy.containsKey(i.studyId()))
                .sorted(Comparator.comparing(InstanceIngested::instanceId))
                .toList();
        Builder train = new Builder(size);
        Builder validation = new Builder(size);
        for (InstanceIngested instance : labelled) {
            PixelArray pixels;
            try (InputStream in = store.open(instance.pixelKey())) {
                pixels = PixelArray.readNpy(in);
            }
            float[] image = ModelInput.square(pixels.frame(pixels.frames() / 2), size).pixels();
            int y = classes.indexOf(labelByStudy.get(instance.studyId()));
            boolean heldOut = PatientSplit.VALIDATION.equals(PatientSplit.of(instance.patientId(), validationPercent));
            (heldOut ? validation : train).add(image, y, instance.patientId());
        }
        return new Split(train.build(classes), validation.build(classes));
    }

    /**
     * A share of the training patients, stratified by class (at least one patient per class) and
     * chosen by a seeded hash of the pseudonym: the same seed gives the same patients, and the 10 %
     * subset contains the 1 % one.
     */
    public static LabeledImages fraction(LabeledImages pool, double fraction, long seed) {
        if (!(fraction > 0) || fraction > 1) {
            throw new IllegalArgumentException("label fraction must be in (0, 1], got " + fraction);
        }
        Map<Integer, List<String>> patientsByClass = new LinkedHashMap<>();
        Map<String, Integer> classOfPatient = new HashMap<>();
        for (int i = 0; i < pool.count(); i++) {
            if (classOfPatient.putIfAbsent(pool.patients()[i], pool.y()[i]) == null) {
                patientsByClass.computeIfAbsent(pool.y()[i], k -> new ArrayList<>()).add(pool.patients()[i]);
            }
        }
        java.util.Set<String> chosen = new java.util.HashSet<>();
        for (List<String> patients : patientsByClass.values()) {
            patients.sort(Comparator.comparing(p -> rank(p, seed)));
            int take = Math.max(1, (int) Math.round(fraction * patients.size()));
            chosen.addAll(patients.subList(0, Math.min(take, patients.size())));
        }
        Builder subset = new Builder(pool.size());
        int pixels = pool.size() * pool.size();
        for (int i = 0; i < pool.count(); i++) {
            if (chosen.contains(pool.patients()[i])) {
                subset.add(java.util.Arrays.copyOfRange(pool.x(), i * pixels, (i + 1) * pixels), pool.y()[i], pool.patients()[i]);
            }
        }
        return subset.build(pool.classes());
    }

    private static String rank(String patient, long seed) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(sha.digest((seed + "|" + patient).getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Collects images; public so other sources (tests, benchmarks) build LabeledImages the same way. */
    public static final class Builder {
        private final int size;
        private final List<float[]> images = new ArrayList<>();
        private final List<Integer> labels = new ArrayList<>();
        private final List<String> patients = new ArrayList<>();

        public Builder(int size) {
            this.size = size;
        }

        public Builder add(float[] image, int label, String patient) {
            if (image.length != size * size) {
                throw new IllegalArgumentException("image of " + image.length + " pixels, expected " + size * size);
            }
            images.add(image);
            labels.add(label);
            patients.add(patient);
            return this;
        }

        public LabeledImages build(List<String> classes) {
            float[] x = new float[images.size() * size * size];
            for (int i = 0; i < images.size(); i++) {
                System.arraycopy(images.get(i), 0, x, i * size * size, size * size);
            }
            return new LabeledImages(size, x, labels.stream().mapToInt(Integer::intValue).toArray(),
                    patients.toArray(String[]::new), List.copyOf(classes));
        }
    }
}
