package io.medssl.inference.predict;

/** A request that can't be answered, with the HTTP status and RFC 7807 title to answer it with. */
public final class ProblemException extends RuntimeException {
    private final int status;
    private final String title;

    public ProblemException(int status, String title, String detail) {
        super(detail);
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
