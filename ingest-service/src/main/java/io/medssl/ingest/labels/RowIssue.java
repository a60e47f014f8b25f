package io.medssl.ingest.labels;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A request row that assigned nothing, with the identifiers the caller gave and why. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(description = "A row that assigned no label; the identifiers are echoed as sent")
public record RowIssue(
        @Schema(description = "1-based data row (CSV: not counting the header or empty lines; JSON: array element)")
        int row,
        String studyInstanceUid,
        String accessionNumber,
        String reason) {

    static RowIssue of(LabelRow row, String reason) {
        return new RowIssue(row.row(), row.studyInstanceUid(), row.accessionNumber(), reason);
    }
}
