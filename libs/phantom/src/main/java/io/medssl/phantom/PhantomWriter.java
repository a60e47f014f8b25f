package io.medssl.phantom;

import io.medssl.dicom.ImageObjectWriter;
import io.medssl.dicom.SyntheticImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Writes phantom studies as DICOM CT objects with a labels CSV, the layout a real labelled dataset has. */
public final class PhantomWriter {
    public static final String LABELS_FILE = "labels.csv";
    public static final String LABELS_HEADER = "StudyInstanceUID,AccessionNumber,label";
    static final String STUDY_DESCRIPTION = "CT CHEST PHANTOM";

    private PhantomWriter() {
    }

    /**
     * Writes {@code phantom-00001.dcm}, … (one per study, in list order; file names carry no
     * identifiers) and {@code labels.csv} into {@code dir}, creating it and replacing files of the
     * same names. Returns the DICOM files.
     */
    public static List<Path> writeStudies(List<PhantomStudy> studies, Path dir) throws IOException {
        Files.createDirectories(dir);
        List<Path> files = new ArrayList<>(studies.size());
        StringBuilder csv = new StringBuilder(LABELS_HEADER).append('\n');
        for (int i = 0; i < studies.size(); i++) {
            PhantomStudy study = studies.get(i);
            Path file = dir.resolve(String.format("phantom-%05d.dcm", i + 1));
            ImageObjectWriter.writeCt(toSyntheticImage(study), file);
            files.add(file);
            csv.append(study.studyInstanceUid()).append(',').append(study.accessionNumber()).append(',')
                    .append(study.label().label()).append('\n');
        }
        Files.writeString(dir.resolve(LABELS_FILE), csv, StandardCharsets.US_ASCII);
        return files;
    }

    /** The study as libs/dicom's writer input, windowed for the lung like {@link PhantomStudies#toGrayImage(PhantomStudy)}. */
    public static SyntheticImage toSyntheticImage(PhantomStudy s) {
        return new SyntheticImage(s.patientName(), s.patientId(), s.patientBirthDate(), s.patientSex(), s.studyInstanceUid(),
                s.seriesInstanceUid(), s.sopInstanceUid(), s.accessionNumber(), s.studyDate(), s.studyTime(), STUDY_DESCRIPTION,
                s.rows(), s.cols(), s.hounsfield(), s.pixelSpacingMm(),
                PhantomStudies.LUNG_WINDOW_CENTER, PhantomStudies.LUNG_WINDOW_WIDTH);
    }

    /** {@code count seed dir [size]}: writes a dataset, e.g. for a local demo. */
    public static void main(String[] args) throws IOException {
        if (args.length < 3 || args.length > 4) {
            System.err.println("usage: PhantomWriter <count> <seed> <dir> [size]");
            System.exit(2);
        }
        int size = args.length == 4 ? Integer.parseInt(args[3]) : ChestPhantom.DEFAULT_SIZE;
        List<PhantomStudy> studies = PhantomStudies.generate(Integer.parseInt(args[0]), Long.parseLong(args[1]), size);
        writeStudies(studies, Path.of(args[2]));
        System.out.println("wrote " + studies.size() + " studies and " + LABELS_FILE + " to " + args[2]);
    }
}
