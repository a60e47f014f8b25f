package io.medssl.ingest.labels;

import com.fasterxml.jackson.annotation.JsonAlias;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** One row of a JSON label request: the study by its original StudyInstanceUID or AccessionNumber. */
@Schema(name = "LabelRow", description = "A label for one study, named by its original StudyInstanceUID or "
        + "AccessionNumber (at least one). When both are given they must name the same study.")
@JsonIgnoreProperties(ignoreUnknown = true)
public record LabelRequestRow(
        @Schema(description = "original Study Instance UID", examples = "1.2.826.0.1.3680043.2.307.62.48865.356531.1")
        @JsonAlias("StudyInstanceUID") String studyInstanceUid,
        @Schema(description = "original Accession Number", examples = "710000")
        @JsonAlias("AccessionNumber") String accessionNumber,
        @Schema(description = "the study's label (class name), at most " + LabelRow.MAX_LABEL + " characters",
                required = true, examples = "pneumonia")
        @JsonAlias("Label") String label) {
}
