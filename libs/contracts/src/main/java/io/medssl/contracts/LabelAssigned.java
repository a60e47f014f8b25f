package io.medssl.contracts;

/** A label for a (pseudonymised) study of a dataset. */
public record LabelAssigned(int schemaVersion, String dataset, String studyId, String label, String source) {

    public static final int SCHEMA_VERSION = 1;
}
