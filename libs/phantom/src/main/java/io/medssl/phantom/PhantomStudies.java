package io.medssl.phantom;

import io.medssl.imaging.GrayImage;
import java.math.BigInteger;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/** Generates labelled phantom studies and turns them into model-ready images. */
public final class PhantomStudies {
    /**
     * The standard lung window (−1350 … 150 HU): lung parenchyma mid-grey, sub-solid nodules
     * clearly brighter, solid nodules, vessels and fluid near white. A mediastinal window
     * (40/400) would render the whole lung black and hide sub-solid nodules.
     */
    public static final double LUNG_WINDOW_CENTER = -600;
    public static final double LUNG_WINDOW_WIDTH = 1500;

    private static final String[] FEMALE = {"ALICE", "CARMEN", "ELENA", "GRETA", "INES", "KEIKO", "MAYA", "OLGA", "ROSA", "TARA",
        "VERA", "XENIA", "ZOE"};
    private static final String[] MALE = {"BRUNO", "DMITRI", "FARID", "HUGO", "JONAS", "LIAM", "NILS", "PEDRO", "QUINN", "SAMIR",
        "UMAR", "WANG", "YUSUF"};
    private static final LocalDate OLDEST_BIRTH = LocalDate.of(1935, 1, 1);
    private static final LocalDate FIRST_STUDY = LocalDate.of(2019, 1, 1);
    private static final BigInteger UNSIGNED_64 = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

    private PhantomStudies() {
    }

    /** {@code count} studies of {@link ChestPhantom#DEFAULT_SIZE}² pixels. */
    public static List<PhantomStudy> generate(int count, long seed) {
        return generate(count, seed, ChestPhantom.DEFAULT_SIZE);
    }

    /**
     * {@code count} studies, one per patient, each of one {@code size} × {@code size} slice. The
     * classes are balanced (their counts differ by at most one) and shuffled. Everything, UIDs
     * included, follows from {@code seed}: the same seed gives the same studies, so a dataset can
     * be regenerated rather than stored; different seeds give distinct UIDs.
     */
    public static List<PhantomStudy> generate(int count, long seed, int size) {
        if (count < 0) {
            throw new IllegalArgumentException("count must be >= 0");
        }
        Draws d = new Draws(seed);
        PhantomClass[] classes = PhantomClass.values();
        PhantomClass[] labels = new PhantomClass[count];
        for (int i = 0; i < count; i++) {
            labels[i] = classes[i % classes.length];
        }
        for (int i = count - 1; i > 0; i--) {
            int j = d.between(0, i);
            PhantomClass t = labels[i];
            labels[i] = labels[j];
            labels[j] = t;
        }
        Set<String> used = new HashSet<>();
        List<PhantomStudy> studies = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            long renderSeed = d.nextLong();
            boolean female = d.chance(0.5);
            String[] names = female ? FEMALE : MALE;
            String name = "PHANTOM^" + names[d.between(0, names.length - 1)] + (i + 1);
            String patientId = unique(used, () -> String.format("PH%08d", d.between(0, 99_999_999)));
            String accession = unique(used, () -> String.format("ACC%09d", d.between(0, 999_999_999)));
            LocalDate birth = OLDEST_BIRTH.plusDays(d.between(0, 70 * 365));
            LocalDate studyDay = FIRST_STUDY.plusDays(d.between(0, 6 * 365));
            int second = d.between(7 * 3600, 19 * 3600);
            String studyTime = String.format("%02d%02d%02d", second / 3600, second / 60 % 60, second % 60);
            String studyUid = unique(used, () -> uid(d));
            String seriesUid = unique(used, () -> uid(d));
            String sopUid = unique(used, () -> uid(d));
            PhantomSlice slice = ChestPhantom.render(renderSeed, labels[i], size, size);
            studies.add(new PhantomStudy(name, patientId, birth.format(DateTimeFormatter.BASIC_ISO_DATE), female ? "F" : "M",
                    studyUid, accession, seriesUid, sopUid, studyDay.format(DateTimeFormatter.BASIC_ISO_DATE), studyTime,
                    labels[i], size, size, slice.hounsfield(), slice.pixelSpacingMm(), renderSeed));
        }
        return studies;
    }

    /** The study's pixels through a window (the same linear mapping PixelDecoder applies), in [0, 1]. */
    public static GrayImage toGrayImage(PhantomStudy study, double windowCenter, double windowWidth) {
        if (!(windowWidth > 0)) {
            throw new IllegalArgumentException("window width must be > 0");
        }
        double low = windowCenter - windowWidth / 2;
        short[] hu = study.hounsfield();
        float[] out = new float[hu.length];
        for (int i = 0; i < hu.length; i++) {
            double y = (hu[i] - low) / windowWidth;
            out[i] = (float) (y < 0 ? 0 : y > 1 ? 1 : y);
        }
        return new GrayImage(study.rows(), study.cols(), out);
    }

    /** Through the {@linkplain #LUNG_WINDOW_CENTER lung window}. */
    public static GrayImage toGrayImage(PhantomStudy study) {
        return toGrayImage(study, LUNG_WINDOW_CENTER, LUNG_WINDOW_WIDTH);
    }

    /** A UID under 2.25 (ISO/IEC 9834-8): the decimal value of a version-4 UUID drawn from the seed. */
    static String uid(Draws d) {
        long high = (d.nextLong() & ~0xF000L) | 0x4000L;
        long low = (d.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        BigInteger value = BigInteger.valueOf(high).and(UNSIGNED_64).shiftLeft(64).or(BigInteger.valueOf(low).and(UNSIGNED_64));
        return "2.25." + value;
    }

    /** Draws until the value is new: identifiers must be distinct within one generated set. */
    private static String unique(Set<String> used, Supplier<String> draw) {
        String v;
        do {
            v = draw.get();
        } while (!used.add(v));
        return v;
    }
}
