package io.medssl.ingest.rest;

import java.util.List;

/**
 * The page of a listing a request asks for ({@code offset}, {@code limit}), bounded by what the
 * server answers at once ({@code medssl.query.max-results}), so that no request makes the service
 * read and send the whole index. When the server's bound is what limits the page, one row more
 * is fetched to tell the client whether more can be asked for.
 *
 * @param limit rows in the page answered
 * @param bounded whether the server's bound, not the request, set {@code limit}
 */
public record Paging(int offset, int limit, boolean bounded) {
    /**
     * PS3.18's text for an answer the server cut (QIDO-RS): the client asks again with an offset.
     */
    public static final String MORE_RESULTS_WARNING = "299 medssl: \"The number of results exceeded the maximum supported"
            + " by the server. Additional results can be requested.\"";

    /** A request's {@code limit} and {@code offset} parameters (null: absent); a bad value is a {@link BadPagingException}. */
    public static Paging of(String limit, String offset, int maxResults) {
        long requested;
        int from;
        try {
            requested = limit == null ? Long.MAX_VALUE : Long.parseLong(limit.strip());
            from = offset == null ? 0 : Integer.parseInt(offset.strip());
        } catch (NumberFormatException e) {
            throw new BadPagingException("limit and offset must be whole numbers");
        }
        if (requested < 0 || from < 0) {
            throw new BadPagingException("limit and offset must not be negative");
        }
        return requested > maxResults ? new Paging(from, maxResults, true) : new Paging(from, (int) requested, false);
    }

    /** How many rows to fetch. */
    public int fetch() {
        return bounded ? limit + 1 : limit;
    }

    /** The page out of the {@link #fetch()}ed rows. */
    public <T> List<T> page(List<T> fetched) {
        return fetched.size() > limit ? fetched.subList(0, limit) : fetched;
    }

    /** Whether the server's bound left rows out of the page (the answer says so in a Warning header). */
    public boolean more(List<?> fetched) {
        return fetched.size() > limit;
    }

    /** A {@code limit} or {@code offset} that is not a whole number ≥ 0: answered 400 with a problem body. */
    public static final class BadPagingException extends RuntimeException {
        BadPagingException(String message) {
            super(message);
        }
    }
}
