package io.medssl.dicom;

import java.nio.file.Files;
import java.nio.file.Path;

/** The shared real DICOM samples (../shared/dicom-samples). */
final class Samples {
    static final Path DIR = Path.of(System.getProperty("test.samples.dir", "../../../shared/dicom-samples"));

    static Path file(String name) {
        Path p = DIR.resolve(name);
        if (!Files.exists(p)) {
            throw new IllegalStateException("missing sample " + p.toAbsolutePath());
        }
        return p;
    }

    private Samples() {
    }
}
