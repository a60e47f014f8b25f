package io.medssl.ingest.labels;

/**
 * A label request refused as a whole (answered as an RFC 7807 problem). The detail may quote the
 * caller's own input back to them, so it is never logged.
 */
public class LabelRequestException extends RuntimeException {
    private final int status;
    private final String title;

    public LabelRequestException(int status, String title, String detail) {
        super(detail, null, false, false);
        this.status = status;
        this.title = title;
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }
}
