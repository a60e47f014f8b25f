package io.medssl.inference.predict;

/** A request that can't be answered, with the HTTP status and RFC 7807 title to answer it with. */
public final class ProblemException extends RuntimeException {
    private final int status;
    private final String title;
    private final Integer retryAfterSeconds;

    public ProblemException(int status, String title, String detail) {
        this(status, title, detail, null);
    }

    public ProblemException(int status, String title, String detail, Integer retryAfterSeconds) {
        super(detail);
        this.status = status;
        this.title = title;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }

    /** Seconds for a Retry-After header (503 when overloaded), or null. */
    public Integer retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
