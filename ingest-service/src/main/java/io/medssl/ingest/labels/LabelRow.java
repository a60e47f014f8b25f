package io.medssl.ingest.labels;

/**
 * A parsed request row, values trimmed and blanks as null.
 *
 * @param row 1-based position among the request's data rows (CSV: not counting the header or
 *     empty lines; JSON: the array element)
 */
public record LabelRow(int row, String studyInstanceUid, String accessionNumber, String label) {
    public static final int MAX_LABEL = 128;

    static LabelRow of(int row, String studyInstanceUid, String accessionNumber, String label) {
        return new LabelRow(row, clean(studyInstanceUid), clean(accessionNumber), clean(label));
    }

    private static String clean(String value) {
        if (value == null) {
            return null;
        }
        String v = value.strip();
        return v.isEmpty() ? null : v;
    }

    boolean blank() {
        return studyInstanceUid == null && accessionNumber == null && label == null;
    }
}
