package io.medssl.phantom;

import io.medssl.dicom.ImageObjectWriter;
import io.medssl.dicom.SyntheticImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * An archive-shaped set of phantom objects for index and query benchmarks: {@code studies}
 * studies (each its own patient and accession number, as {@link PhantomStudies} draws them), each
 * with {@code series} series of {@code instances} small CT slices. Files go to one folder per
 * study ({@code study-00001/…}); UIDs are drawn from the seed, so the same arguments give the same
 * archive.
 */
public final class PhantomArchive {
    private PhantomArchive() {
    }

    /** Writes the archive into {@code dir}; returns how many objects were written. */
    public static int write(int studies, int series, int instances, long seed, int size, Path dir) throws IOException {
        List<PhantomStudy> drawn = PhantomStudies.generate(studies, seed, size);
        Draws draws = new Draws(seed ^ 0x5DEECE66DL);
        int written = 0;
        for (int s = 0; s < drawn.size(); s++) {
            PhantomStudy study = drawn.get(s);
            Path folder = Files.createDirectories(dir.resolve(String.format("study-%05d", s + 1)));
            for (int r = 0; r < series; r++) {
                String seriesUid = r == 0 ? study.seriesInstanceUid() : PhantomStudies.uid(draws);
                for (int i = 0; i < instances; i++) {
                    String sopUid = r == 0 && i == 0 ? study.sopInstanceUid() : PhantomStudies.uid(draws);
                    SyntheticImage base = PhantomWriter.toSyntheticImage(study);
                    ImageObjectWriter.writeCt(new SyntheticImage(base.patientName(), base.patientId(), base.patientBirthDate(),
                            base.patientSex(), base.studyInstanceUid(), seriesUid, sopUid, base.accessionNumber(), base.studyDate(),
                            base.studyTime(), base.studyDescription(), base.rows(), base.cols(), base.hounsfield(),
                            base.pixelSpacingMm(), base.windowCenter(), base.windowWidth()),
                            folder.resolve(String.format("s%03d-i%05d.dcm", r + 1, i + 1)));
                    written++;
                }
            }
        }
        return written;
    }

    /** {@code studies series instances seed dir [size]} */
    public static void main(String[] args) throws IOException {
        if (args.length < 5 || args.length > 6) {
            System.err.println("usage: PhantomArchive <studies> <series-per-study> <instances-per-series> <seed> <dir> [size]");
            System.exit(2);
        }
        int written = write(Integer.parseInt(args[0]), Integer.parseInt(args[1]), Integer.parseInt(args[2]), Long.parseLong(args[3]),
                args.length == 6 ? Integer.parseInt(args[5]) : 32, Path.of(args[4]));
        System.out.println("wrote " + written + " objects to " + args[4]);
    }
}
