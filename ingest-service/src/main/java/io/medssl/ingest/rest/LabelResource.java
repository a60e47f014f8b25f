package io.medssl.ingest.rest;

import io.medssl.contracts.Problem;
import io.medssl.ingest.config.IngestConfig;
import io.medssl.ingest.labels.LabelImportResult;
import io.medssl.ingest.labels.LabelParser;
import io.medssl.ingest.labels.LabelRequestException;
import io.medssl.ingest.labels.LabelRequestRow;
import io.medssl.ingest.labels.LabelService;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Labels for ingested studies. The caller names studies by their original identifiers (that is
 * what a hospital's label list has); the labels go out on {@code medssl.labels} under the study
 * pseudonyms only.
 */
@Path("/api/v1/datasets/{dataset}/labels")
@Tag(name = "Labels", description = "Labels for ingested studies")
public class LabelResource {
    private final LabelParser parser;
    private final LabelService labels;
    private final IngestConfig config;

    public LabelResource(LabelParser parser, LabelService labels, IngestConfig config) {
        this.parser = parser;
        this.labels = labels;
        this.config = config;
    }

    @POST
    @Consumes({LabelParser.CSV, MediaType.APPLICATION_JSON})
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Label studies of a dataset",
            description = "Each row names a study by its original StudyInstanceUID or AccessionNumber and gives its label. "
                    + "A row is matched to a study ingested into the dataset; for each matched study a LabelAssigned event "
                    + "(study pseudonym, label, source \"api\") is published on medssl.labels and acknowledged by the broker "
                    + "before the answer. Rows naming no study of the dataset come back under 'unknown', unusable rows under "
                    + "'invalid', each with its 1-based row number. Sending the same labels again is harmless. CSV: a header row "
                    + "with a 'label' column and a 'StudyInstanceUID' and/or 'AccessionNumber' column (names match ignoring "
                    + "case, spaces and '_'), comma-separated (semicolon or tab when the header has no comma), UTF-8 unless the "
                    + "charset parameter says otherwise.")
    @APIResponse(responseCode = "200", description = "Every row accounted for: assigned, unknown or invalid",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = LabelImportResult.class)))
    @APIResponse(responseCode = "400", description = "Empty body, unparsable CSV or JSON, no label column, no study column, no rows",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "413", description = "More rows than medssl.labels.max-rows",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "415", description = "Neither text/csv nor application/json, or an unknown charset",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "503", description = "The broker did not acknowledge every label; send the request again",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response assign(
            @Parameter(description = "dataset the studies were ingested into", example = "default")
            @PathParam("dataset") String dataset,
            @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
            @RequestBody(required = true, content = {
                    @Content(mediaType = LabelParser.CSV, schema = @Schema(type = SchemaType.STRING),
                            examples = @ExampleObject(name = "by StudyInstanceUID",
                                    value = "StudyInstanceUID,label\r\n1.2.826.0.1.3680043.2.307.62.48865.356531.1,pneumonia\r\n")),
                    @Content(mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(type = SchemaType.ARRAY, implementation = LabelRequestRow.class),
                            examples = @ExampleObject(name = "by AccessionNumber",
                                    value = "[{\"accessionNumber\": \"710000\", \"label\": \"normal\"}]"))})
            byte[] body) throws IOException, InterruptedException {
        var rows = parser.parse(contentType, body, config.labels().maxRows());
        try {
            return Response.ok(labels.assign(dataset, rows)).build();
        } catch (LabelService.PublishFailedException e) {
            return problem(503, "Labels not all published", "the broker acknowledged " + e.published() + " of " + e.total()
                    + " label events; send the request again (a label sent twice is harmless)");
        }
    }

    @ServerExceptionMapper
    public Response refused(LabelRequestException e) {
        return problem(e.status(), e.title(), e.getMessage());
    }

    static Response problem(int status, String title, String detail) {
        return Response.status(status).type(Problem.MEDIA_TYPE).entity(Problem.of(status, title, detail)).build();
    }
}
