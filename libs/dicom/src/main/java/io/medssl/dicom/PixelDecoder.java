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
            int[][] frames = nativeGrayscale16(object, rows, cols);
            if (frames != null) {
                boolean invert = object.photometricInterpretation().equals("MONOCHROME1");
                float[] data = new float[frames.length * rows * cols];
                for (int f = 0; f < frames.length; f++) {
                    grayscaleFrame(list, frames[f], data, f * rows * cols, invert, defaultWindow);
                }
                return new PixelArray(frames.length, rows, cols, data);
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

    /**
     * The stored values of each frame, when the pixel data is native (not encapsulated) 16-bit
     * single-sample grayscale with the stored bits at the bottom; else null (PixelMed decodes it).
     * Bits above BitsStored (old overlay planes) are masked off, as PixelMed does.
     */
    /** Whether {@link #decode} reads this object's stored values directly (tests). */
    static boolean readsDirectly(DicomObject object) {
        return object.hasPixelData() && object.pixelDecodeError == null
                && nativeGrayscale16(object, object.rows(), object.columns()) != null;
    }

    private static int[][] nativeGrayscale16(DicomObject object, int rows, int cols) {
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
        int frames = Math.max(1, object.frames());
        int size = rows * cols;
        if (values == null || values.length < (long) frames * size) {
            return null; // truncated or odd: let PixelMed decide what it can make of it
        }
        int mask = bitsStored == 16 ? 0xFFFF : (1 << bitsStored) - 1;
        int[][] out = new int[frames][size];
        for (int f = 0; f < frames; f++) {
            int base = f * size;
            int[] frame = out[f];
            for (int i = 0; i < size; i++) {
                frame[i] = values[base + i] & mask;
            }
        }
        return out;
    }

    private static void grayscaleFrame(AttributeList list, Raster raster, float[] out, int offset, boolean invert,
                                       Window defaultWindow) {
        int rows = raster.getHeight();
        int cols = raster.getWidth();
        grayscaleFrame(list, raster.getSamples(0, 0, cols, rows, 0, new int[rows * cols]), out, offset, invert, defaultWindow);
    }

    private static void grayscaleFrame(AttributeList list, int[] stored, float[] out, int offset, boolean invert,
                                       Window defaultWindow) {
        boolean signed = Attribute.getSingleIntegerValueOrDefault(list, TagFromName.PixelRepresentation, 0) == 1;
        int bitsStored = Attribute.getSingleIntegerValueOrDefault(list, TagFromName.BitsStored, 16);
        double slope = Attribute.getSingleDoubleValueOrDefault(list, TagFromName.RescaleSlope, 1.0);
        double intercept = Attribute.getSingleDoubleValueOrDefault(list, TagFromName.RescaleIntercept, 0.0);
        if (slope == 0) {
            slope = 1;
        }
        int shift = 32 - Math.max(1, Math.min(32, bitsStored));
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
            int minStored = Integer.MAX_VALUE;
            int maxStored = Integer.MIN_VALUE;
            for (int s : stored) {
                int v = signed ? (s << shift) >> shift : s;
                minStored = Math.min(minStored, v);
                maxStored = Math.max(maxStored, v);
            }
            double a = minStored * slope + intercept;
            double b = maxStored * slope + intercept;
            low = Math.min(a, b);
            range = Math.max(Math.max(a, b) - low, 1e-6);
        }
        // One pass, no intermediate array (this loop is most of decoding's CPU on a 512x512 CT).
        for (int i = 0; i < stored.length; i++) {
            // PixelMed hands signed pixels back in an unsigned raster: sign-extend from BitsStored.
            int v = signed ? (stored[i] << shift) >> shift : stored[i];
            double y = (v * slope + intercept - low) / range;
            y = y < 0 ? 0 : (y > 1 ? 1 : y);
            out[offset + i] = (float) (invert ? 1 - y : y);
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
