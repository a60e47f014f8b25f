package io.medssl.dicom;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.DicomInputStream;
import com.pixelmed.dicom.TagFromName;
import java.io.BufferedInputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;

/**
 * Reads DICOM Part 10 files. PixelMed returns silently partial results on broken input (an empty
 * file gives an empty list, truncation drops elements), so every read is validated here: the
 * object must carry the identifying UIDs, each at most a UID's 64 characters, and an object with
 * pixel data must have as many bytes as its geometry says (checked by the decoder).
 */
public final class DicomReader {
    private DicomReader() {
    }

    public static DicomObject read(Path file) throws InvalidDicomException {
        return read(list -> list.read(new File(file.toString())));
    }

    /**
     * As {@link #read(Path)}, from bytes that are not a file of their own (e.g. a range of the
     * accept journal). {@code source} may be opened twice (see {@link #read(Path)}).
     */
    public static DicomObject read(Source source) throws InvalidDicomException {
        return read(list -> {
            try (DicomInputStream in = open(source)) {
                list.read(in);
            }
        });
    }

    /** Where an object's bytes come from, opened anew for each read. */
    @FunctionalInterface
    public interface Source {
        InputStream open() throws IOException;
    }

    /**
     * PixelMed reads small pieces and marks the stream to look for a preamble: a stream that can
     * do neither cheaply (a file range) is buffered; one in memory already can.
     */
    private static DicomInputStream open(Source source) throws IOException {
        InputStream in = source.open();
        return new DicomInputStream(in.markSupported() ? in : new BufferedInputStream(in, 1 << 16));
    }

    @FunctionalInterface
    private interface Pass {
        void readInto(AttributeList list) throws IOException, DicomException;
    }

    private static DicomObject read(Pass pass) throws InvalidDicomException {
        AttributeList list = new AttributeList();
        String pixelError = null;
        try {
            pass.readInto(list);
        } catch (Throwable decompressing) {
            // The object may be fine with pixels in a codec we can't decode (JPEG-LS, 12-bit
            // JPEG): read it again without decompressing, and keep the reason for the decoder.
            list = new AttributeList();
            list.setDecompressPixelData(false);
            try {
                pass.readInto(list);
            } catch (Throwable t) {
                // PixelMed throws Errors too (StackOverflowError on deep nesting); none may escape.
                throw new InvalidDicomException("not a readable DICOM object: " + describe(t), t);
            }
            pixelError = describe(decompressing);
        }
        return validated(new DicomObject(list, pixelError));
    }

    /**
     * Reads everything before the pixel data (identifiers, geometry, flags), with the same checks
     * as {@link #read(Path)}: for deciding whether to accept an object without paying for its
     * pixels. The result has no pixel data; decode from a full {@link #read(Path)}.
     */
    public static DicomObject readHeader(Path file) throws InvalidDicomException {
        return readHeader(list -> list.read(new File(file.toString()), TagFromName.PixelData));
    }

    /** As {@link #readHeader(Path)}, from bytes that are not a file of their own (e.g. an object received into memory). */
    public static DicomObject readHeader(Source source) throws InvalidDicomException {
        return readHeader(list -> {
            try (DicomInputStream in = open(source)) {
                list.read(in, TagFromName.PixelData);
            }
        });
    }

    private static DicomObject readHeader(Pass pass) throws InvalidDicomException {
        AttributeList list = new AttributeList();
        list.setDecompressPixelData(false);
        try {
            pass.readInto(list);
        } catch (Throwable t) {
            throw new InvalidDicomException("not a readable DICOM object: " + describe(t), t);
        }
        return validated(new DicomObject(list, null));
    }

    private static DicomObject validated(DicomObject object) throws InvalidDicomException {
        if (object.attributeCount() == 0) {
            throw new InvalidDicomException("not a DICOM object: no attributes could be read");
        }
        for (var required : new String[][] {
                {"SOPClassUID", object.sopClassUid()},
                {"SOPInstanceUID", object.sopInstanceUid()},
                {"StudyInstanceUID", object.studyInstanceUid()},
                {"SeriesInstanceUID", object.seriesInstanceUid()}}) {
            if (required[1].isEmpty()) {
                throw new InvalidDicomException("DICOM object lacks " + required[0]);
            }
            if (required[1].length() > 64) {
                throw new InvalidDicomException(required[0] + " is longer than a UID may be (64 characters)");
            }
        }
        return object;
    }

    static String describe(Throwable t) {
        String message = t.getMessage();
        return t.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }
}
