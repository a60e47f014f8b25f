package io.medssl.dicom;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.OtherWordAttribute;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.display.SourceImage;
import io.medssl.imaging.PixelArray;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;

/**
 * Turns a DICOM image object into MedSSL's normalised grayscale array: stored values → modality
 * LUT (rescale slope/intercept) → VOI window (the object's first window, else a per-modality default
 * window when the caller gives one, else the frame's value
 * range) → [0, 1], inverted for MONOCHROME1; colour and palette images become luminance
 * (ITU-R BT.601 weights). Every frame of a multi-frame object is kept.
 */
public final class PixelDecoder {
    private PixelDecoder() {
    }

    /** A VOI window in modality units (e.g. Hounsfield for CT). */
    public record Window(double center, double width) {
        public Window {
            if (!(width > 1)) {
                throw new IllegalArgumentException("window width must be greater than 1");
            }
        }
    }

    public static PixelArray decode(DicomObject object) throws UndecodableImageException {
        return decode(object, null);
    }

    /**
     * Decodes with {@code defaultWindow} (e.g. the modality's usual window) for objects that carry
     * no VOI window of their own; null falls back to the frame's value range.
     */
    public static PixelArray decode(DicomObject object, Window defaultWindow) throws UndecodableImageException {
        return decode(object, defaultWindow, true);
    }

    /**
     * {@code direct}: take the stored values of native 16-bit grayscale pixel data straight from
     * the attribute (the common CT/MR case: several times faster) rather than through PixelMed's
     * BufferedImage; both give the same values (tested).
     */
    static PixelArray decode(DicomObject object, Window defaultWindow, boolean direct) throws UndecodableImageException {
        if (!object.hasPixelData()) {
            throw new UndecodableImageException("no pixel data (not an image object, or the pixel data was truncated)");
        }
        if (object.pixelDecodeError != null) {
            throw new UndecodableImageException("pixel data cannot be decoded (transfer syntax "
                    + object.transferSyntaxUid() + "): " + object.pixelDecodeError);
        }
        AttributeList list = object.list;
        int rows = object.rows();
        int cols = object.columns();
        if (rows <= 0 || cols <= 0) {
            throw new UndecodableImageException("image has no valid Rows/Columns");
        }
        if (direct) {
            short[] stored = nativeGrayscale16(object, rows, cols);
            if (stored != null) {
                int frames = Math.max(1, object.frames());
                int size = rows * cols;
                boolean invert = object.photometricInterpretation().equals("MONOCHROME1");
                float[] data = new float[frames * size];
                for (int f = 0; f < frames; f++) {
                    GrayscaleMapping.of(list, stored, f * size, size, invert, defaultWindow).apply(stored, f * size, size, data, f * size);
                }
                return new PixelArray(frames, rows, cols, data);
            }
        }
        SourceImage source;
        try {
            source = new SourceImage(list);
        } catch (Throwable t) {
            throw new UndecodableImageException("pixel data cannot be decoded (transfer syntax "
                    + object.transferSyntaxUid() + "): " + DicomReader.describe(t), t);
        }
        int frames = source.getNumberOfBufferedImages();
        if (frames <= 0) {
            throw new UndecodableImageException("no frames could be decoded (transfer syntax " + object.transferSyntaxUid() + ")");
        }
        boolean grayscale = object.photometricInterpretation().startsWith("MONOCHROME");
        boolean invert = object.photometricInterpretation().equals("MONOCHROME1");
        float[] data = new float[frames * rows * cols];
        for (int f = 0; f < frames; f++) {
            BufferedImage image;
            try {
                image = source.getBufferedImage(f);
            } catch (Throwable t) {
                throw new UndecodableImageException("frame " + f + " cannot be decoded: " + DicomReader.describe(t), t);
            }
            if (image == null || image.getWidth() != cols || image.getHeight() != rows) {
                throw new UndecodableImageException("frame " + f + " decoded to the wrong geometry or not at all");
            }
            int offset = f * rows * cols;
            if (grayscale) {
                grayscaleFrame(list, image.getRaster(), data, offset, invert, defaultWindow);
            } else {
                luminanceFrame(image, data, offset);
            }
        }
        return new PixelArray(frames, rows, cols, data);
    }

    /** Whether {@link #decode} reads this object's stored values directly (tests). */
    static boolean readsDirectly(DicomObject object) {
        return object.hasPixelData() && object.pixelDecodeError == null
                && nativeGrayscale16(object, object.rows(), object.columns()) != null;
    }

    /**
     * The raw 16-bit samples of all frames (the attribute's own array, not a copy), when the pixel
     * data is native (not encapsulated) 16-bit single-sample grayscale with the stored bits at the
     * bottom; else null (PixelMed decodes it). {@link GrayscaleMapping} ignores the bits above BitsStored.
     */
    private static short[] nativeGrayscale16(DicomObject object, int rows, int cols) {
        AttributeList list = object.list;
        Attribute pixels = list.getPixelData();
        int bitsStored = Attribute.getSingleIntegerValueOrDefault(list, TagFromName.BitsStored, 16);
        int highBit = Attribute.getSingleIntegerValueOrDefault(list, TagFromName.HighBit, bitsStored - 1);
        if (pixels == null || pixels.getClass() != OtherWordAttribute.class
                || !object.photometricInterpretation().startsWith("MONOCHROME")
                || Attribute.getSingleIntegerValueOrDefault(list, TagFromName.BitsAllocated, 0) != 16
                || Attribute.getSingleIntegerValueOrDefault(list, TagFromName.SamplesPerPixel, 1) != 1
                || bitsStored < 1 || bitsStored > 16 || highBit != bitsStored - 1) {
            return null;
        }
        short[] values;
        try {
            values = pixels.getShortValues();
        } catch (DicomException e) {
            return null;
        }
        if (values == null || values.length < (long) Math.max(1, object.frames()) * rows * cols) {
            return null; // truncated or odd: let PixelMed decide what it can make of it
        }
        return values;
    }

    private static void grayscaleFrame(AttributeList list, Raster raster, float[] out, int offset, boolean invert,
                                       Window defaultWindow) {
        int rows = raster.getHeight();
        int cols = raster.getWidth();
        int[] samples = raster.getSamples(0, 0, cols, rows, 0, new int[rows * cols]);
        short[] stored = new short[samples.length];
        for (int i = 0; i < samples.length; i++) {
            stored[i] = (short) samples[i]; // at most 16 bits stored: the raster's values fit
        }
        GrayscaleMapping.of(list, stored, 0, stored.length, invert, defaultWindow).apply(stored, 0, stored.length, out, offset);
    }

    /**
     * Stored value → [0, 1] for one frame: modality LUT, VOI window (see {@link #decode}), clamp,
     * MONOCHROME1 inversion. Bits above BitsStored (old overlay planes) are ignored, as PixelMed does.
     */
    private static final class GrayscaleMapping {
        private final boolean signed;
        private final int bitsStored;
        private final int shift;
        private final double slope;
        private final double intercept;
        private final double low;
        private final double range;
        private final boolean invert;

        private GrayscaleMapping(boolean signed, int bitsStored, double slope, double intercept, double low, double range,
                                 boolean invert) {
            this.signed = signed;
            this.bitsStored = bitsStored;
            this.shift = 32 - bitsStored;
            this.slope = slope;
            this.intercept = intercept;
            this.low = low;
            this.range = range;
            this.invert = invert;
        }

        static GrayscaleMapping of(AttributeList list, short[] stored, int from, int count, boolean invert, Window defaultWindow) {
            boolean signed = Attribute.getSingleIntegerValueOrDefault(list, TagFromName.PixelRepresentation, 0) == 1;
            int bitsStored = Math.max(1, Math.min(16, Attribute.getSingleIntegerValueOrDefault(list, TagFromName.BitsStored, 16)));
            double slope = Attribute.getSingleDoubleValueOrDefault(list, TagFromName.RescaleSlope, 1.0);
            double intercept = Attribute.getSingleDoubleValueOrDefault(list, TagFromName.RescaleIntercept, 0.0);
            if (slope == 0) {
                slope = 1;
            }
            double center = Attribute.getSingleDoubleValueOrDefault(list, TagFromName.WindowCenter, Double.NaN);
            double width = Attribute.getSingleDoubleValueOrDefault(list, TagFromName.WindowWidth, Double.NaN);
            double low;
            double range;
            if (!Double.isNaN(center) && !Double.isNaN(width) && width > 1) {
                low = center - width / 2;
                range = width;
            } else if (defaultWindow != null) {
                low = defaultWindow.center() - defaultWindow.width() / 2;
                range = defaultWindow.width();
            } else {
                // No window: the frame's own range of modality values. The modality LUT is linear,
                // so the extremes come from the extreme stored values (swapped by a negative slope).
                int shift = 32 - bitsStored;
                int minStored = Integer.MAX_VALUE;
                int maxStored = Integer.MIN_VALUE;
                for (int i = from; i < from + count; i++) {
                    int v = storedValue(stored[i], shift, signed);
                    minStored = Math.min(minStored, v);
                    maxStored = Math.max(maxStored, v);
                }
                double a = minStored * slope + intercept;
                double b = maxStored * slope + intercept;
                low = Math.min(a, b);
                range = Math.max(Math.max(a, b) - low, 1e-6);
            }
            return new GrayscaleMapping(signed, bitsStored, slope, intercept, low, range, invert);
        }

        /** The stored value of a 16-bit sample: the low BitsStored bits, sign-extended when signed. */
        private static int storedValue(short sample, int shift, boolean signed) {
            int v = sample << shift;
            return signed ? v >> shift : v >>> shift;
        }

        float map(int storedValue) {
            double y = (storedValue * slope + intercept - low) / range;
            y = y < 0 ? 0 : (y > 1 ? 1 : y);
            return (float) (invert ? 1 - y : y);
        }

        void apply(short[] stored, int from, int count, float[] out, int offset) {
            int levels = 1 << bitsStored;
            if (count >= 2 * levels) {
                // Fewer distinct stored values than pixels (a 512x512 CT has 4,096 or 65,536): map
                // each value once and look the pixels up (same arithmetic, so the same floats).
                float[] table = new float[levels];
                for (int raw = 0; raw < levels; raw++) {
                    table[raw] = map(storedValue((short) raw, shift, signed));
                }
                int mask = levels - 1;
                for (int i = 0; i < count; i++) {
                    out[offset + i] = table[stored[from + i] & mask];
                }
            } else {
                for (int i = 0; i < count; i++) {
                    out[offset + i] = map(storedValue(stored[from + i], shift, signed));
                }
            }
        }
    }

    private static void luminanceFrame(BufferedImage image, float[] out, int offset) {
        int rows = image.getHeight();
        int cols = image.getWidth();
        int[] rgb = image.getRGB(0, 0, cols, rows, null, 0, cols);
        for (int i = 0; i < rgb.length; i++) {
            int p = rgb[i];
            double y = 0.299 * ((p >> 16) & 0xff) + 0.587 * ((p >> 8) & 0xff) + 0.114 * (p & 0xff);
            out[offset + i] = (float) (y / 255.0);
        }
    }
}
