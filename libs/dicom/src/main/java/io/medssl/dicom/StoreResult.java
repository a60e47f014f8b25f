package io.medssl.dicom;

/**
 * A handler's answer to one C-STORE: the DIMSE status the sender gets (PS3.4 B.2.3) and, for a
 * failure, an Error Comment (0000,0902) saying why. The sender's queue decides from the status
 * whether to retry (0xA7xx: out of resources) or give up (0xA9xx, 0xCxxx).
 */
public record StoreResult(int status, String errorComment) {
    public static final int SUCCESS = 0x0000;
    /** Refused: out of resources (storage, index or broker failed; worth a retry). */
    public static final int OUT_OF_RESOURCES = 0xA700;
    /** Error: data set does not match SOP class (or the request's UIDs). */
    public static final int DATA_SET_DOES_NOT_MATCH_SOP_CLASS = 0xA900;
    /** Error: cannot understand (not an object we can read). */
    public static final int CANNOT_UNDERSTAND = 0xC000;

    /** Error Comment is LO: at most 64 characters of the default repertoire. */
    static final int MAX_COMMENT = 64;

    private static final StoreResult STORED = new StoreResult(SUCCESS, null);

    public StoreResult {
        if (status < 0 || status > 0xFFFF) {
            throw new IllegalArgumentException("not a DIMSE status: " + status);
        }
    }

    /** The object is durable and indexed. */
    public static StoreResult stored() {
        return STORED;
    }

    /** Refused with {@code status} (e.g. {@link #OUT_OF_RESOURCES}); the SCP deletes what is left of the file. */
    public static StoreResult failed(int status, String errorComment) {
        if (status == SUCCESS || isWarning(status)) {
            throw new IllegalArgumentException("not a failure status: " + Integer.toHexString(status));
        }
        return new StoreResult(status, errorComment);
    }

    /** Success or a warning (0xB000, 0xB006, 0xB007, 0x0107, 0x0116): the object was kept. */
    public boolean isStored() {
        return status == SUCCESS || isWarning(status);
    }

    private static boolean isWarning(int status) {
        return (status & 0xF000) == 0xB000 || status == 0x0107 || status == 0x0116;
    }

    /** The comment as it can go on the wire: ASCII printable, no backslash, at most 64 characters; null if none. */
    String wireComment() {
        if (errorComment == null || errorComment.isBlank()) {
            return null;
        }
        StringBuilder b = new StringBuilder();
        for (char c : errorComment.strip().toCharArray()) {
            if (b.length() == MAX_COMMENT) {
                break;
            }
            b.append(c >= 0x20 && c < 0x7F && c != '\\' ? c : '?');
        }
        return b.toString();
    }

    @Override
    public String toString() {
        return String.format("0x%04X", status) + (errorComment == null ? "" : " (" + errorComment + ")");
    }
}
