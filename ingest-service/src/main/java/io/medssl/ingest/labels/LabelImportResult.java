package io.medssl.ingest.labels;

import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** What a label request did; {@code assigned + unknown + invalid} accounts for every row. */
@Schema(name = "LabelImportResult")
public record LabelImportResult(
        String dataset,
        @Schema(description = "data rows in the request (empty CSV lines not counted)") int rows,
        @Schema(description = "rows whose label was published for their study") int assigned,
        @Schema(description = "rows naming no study ingested into this dataset") List<RowIssue> unknown,
        @Schema(description = "rows that could not be used (no label, no identifier, malformed UID, "
                + "identifiers naming different studies, different labels for one study)") List<RowIssue> invalid) {
}
