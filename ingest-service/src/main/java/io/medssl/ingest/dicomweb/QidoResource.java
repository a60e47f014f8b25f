package io.medssl.ingest.dicomweb;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.medssl.contracts.InstanceIngested;
import io.medssl.contracts.Problem;
import io.medssl.ingest.config.IngestConfig;
import io.medssl.ingest.index.IndexSearch;
import io.medssl.ingest.rest.Paging;
import io.medssl.ingest.service.InstanceIndex;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * QIDO-RS (PS3.18 10.6) over the de-identified index: studies, series and instances, matched on
 * the standard keys (by keyword or tag) with {@code *}/{@code ?} wildcards and UID lists,
 * {@code limit} and {@code offset}; matching, counting and paging run in the database. At most
 * {@code medssl.query.max-results} results per request (then a {@code Warning: 299} says more can
 * be asked for). Every identifier in the index is a pseudonym, so queries and answers use
 * pseudonyms (StudyInstanceUID, PatientID, AccessionNumber); nothing identifying is answered.
 * Unsupported keys are ignored with a {@code Warning: 299} header, as PS3.18 allows.
 */
@Path("/dicomweb")
@Produces({StowResource.DICOM_JSON, Problem.MEDIA_TYPE})
public class QidoResource {
    /** Query keys by keyword (tags are looked up in {@link #TAGS}). */
    private static final Map<String, IndexSearch.Key> KEYS = Map.of(
            "StudyInstanceUID", IndexSearch.Key.STUDY_UID, "SeriesInstanceUID", IndexSearch.Key.SERIES_UID,
            "SOPInstanceUID", IndexSearch.Key.SOP_INSTANCE_UID, "PatientID", IndexSearch.Key.PATIENT_ID,
            "AccessionNumber", IndexSearch.Key.ACCESSION_NUMBER, "Modality", IndexSearch.Key.MODALITY,
            "ModalitiesInStudy", IndexSearch.Key.MODALITY, "BodyPartExamined", IndexSearch.Key.BODY_PART,
            "SOPClassUID", IndexSearch.Key.SOP_CLASS_UID);
    private static final Map<String, String> TAGS = Map.of(
            "0020000D", "StudyInstanceUID", "0020000E", "SeriesInstanceUID", "00080018", "SOPInstanceUID",
            "00100020", "PatientID", "00080050", "AccessionNumber", "00080060", "Modality", "00080061", "ModalitiesInStudy",
            "00180015", "BodyPartExamined", "00080016", "SOPClassUID");
    /** Parameters that are not match keys. */
    private static final Set<String> CONTROLS = Set.of("limit", "offset", "includefield", "fuzzymatching");

    private final InstanceIndex index;
    private final IngestConfig config;

    public QidoResource(InstanceIndex index, IngestConfig config) {
        this.index = index;
        this.config = config;
    }

    @GET
    @Path("/studies")
    public Response studies(@Context UriInfo uri) {
        return search(IndexSearch.Level.STUDY, uri, Map.of());
    }

    @GET
    @Path("/series")
    public Response series(@Context UriInfo uri) {
        return search(IndexSearch.Level.SERIES, uri, Map.of());
    }

    @GET
    @Path("/studies/{study}/series")
    public Response studySeries(@PathParam("study") String study, @Context UriInfo uri) {
        return search(IndexSearch.Level.SERIES, uri, Map.of(IndexSearch.Key.STUDY_UID, study));
    }

    @GET
    @Path("/instances")
    public Response instances(@Context UriInfo uri) {
        return search(IndexSearch.Level.INSTANCE, uri, Map.of());
    }

    @GET
    @Path("/studies/{study}/instances")
    public Response studyInstances(@PathParam("study") String study, @Context UriInfo uri) {
        return search(IndexSearch.Level.INSTANCE, uri, Map.of(IndexSearch.Key.STUDY_UID, study));
    }

    @GET
    @Path("/studies/{study}/series/{series}/instances")
    public Response seriesInstances(@PathParam("study") String study, @PathParam("series") String series, @Context UriInfo uri) {
        return search(IndexSearch.Level.INSTANCE, uri, Map.of(IndexSearch.Key.STUDY_UID, study, IndexSearch.Key.SERIES_UID, series));
    }

    private Response search(IndexSearch.Level level, UriInfo uri, Map<IndexSearch.Key, String> pathKeys) {
        MultivaluedMap<String, String> query = uri.getQueryParameters();
        Paging paging = Paging.of(query.getFirst("limit"), query.getFirst("offset"), config.query().maxResults());
        List<IndexSearch.Criterion> criteria = new ArrayList<>();
        List<String> ignored = new ArrayList<>();
        for (Map.Entry<String, List<String>> param : query.entrySet()) {
            if (CONTROLS.contains(param.getKey())) {
                continue;
            }
            IndexSearch.Key key = KEYS.get(TAGS.getOrDefault(param.getKey().toUpperCase(), param.getKey()));
            if (key == null) {
                ignored.add(param.getKey());
                continue;
            }
            criteria.add(new IndexSearch.Criterion(key, param.getValue().get(0)));
        }
        // A path segment names one pseudonym: matched as it is, never as a wildcard or a list.
        pathKeys.forEach((key, value) -> criteria.add(IndexSearch.Criterion.exactly(key, value)));

        ArrayNode answer = DicomJson.array();
        boolean more = switch (level) {
            case STUDY -> {
                var fetched = index.findStudies(criteria, paging.offset(), paging.fetch());
                paging.page(fetched).forEach(study -> answer.add(describe(study)));
                yield paging.more(fetched);
            }
            case SERIES -> {
                var fetched = index.findSeries(criteria, paging.offset(), paging.fetch());
                paging.page(fetched).forEach(series -> answer.add(describe(series)));
                yield paging.more(fetched);
            }
            case INSTANCE -> {
                var fetched = index.findInstances(criteria, false, paging.offset(), paging.fetch());
                paging.page(fetched).forEach(instance -> answer.add(describe(instance)));
                yield paging.more(fetched);
            }
        };
        Response.ResponseBuilder response = Response.ok(answer).type(StowResource.DICOM_JSON);
        if (!ignored.isEmpty()) {
            response.header("Warning", "299 medssl: \"The following query keys are not supported and were ignored: "
                    + String.join(", ", ignored) + "\"");
        }
        if (more) {
            response.header("Warning", Paging.MORE_RESULTS_WARNING);
        }
        return response.build();
    }

    private static ObjectNode describe(IndexSearch.StudyMatch study) {
        ObjectNode item = identifiers(study.studyId(), study.patientId(), study.accessionId());
        DicomJson.strings(item, "00080061", "CS", study.modalities());
        DicomJson.number(item, "00201206", "IS", study.seriesCount());
        DicomJson.number(item, "00201208", "IS", study.instanceCount());
        return item;
    }

    private static ObjectNode describe(IndexSearch.SeriesMatch series) {
        ObjectNode item = identifiers(series.studyId(), series.patientId(), series.accessionId());
        DicomJson.string(item, "0020000E", "UI", series.seriesId());
        DicomJson.string(item, "00080060", "CS", series.modality());
        DicomJson.string(item, "00180015", "CS", series.bodyPart());
        DicomJson.number(item, "00201209", "IS", series.instanceCount());
        return item;
    }

    private static ObjectNode describe(InstanceIndex.Entry entry) {
        InstanceIngested instance = entry.instance();
        ObjectNode item = identifiers(instance.studyId(), instance.patientId(), entry.accessionId());
        DicomJson.string(item, "0020000E", "UI", instance.seriesId());
        DicomJson.string(item, "00080018", "UI", instance.instanceId());
        DicomJson.string(item, "00080016", "UI", instance.sopClassUid());
        DicomJson.string(item, "00080060", "CS", instance.modality());
        DicomJson.number(item, "00280010", "US", instance.rows());
        DicomJson.number(item, "00280011", "US", instance.columns());
        DicomJson.number(item, "00280008", "IS", instance.frames());
        return item;
    }

    private static ObjectNode identifiers(String studyId, String patientId, String accessionId) {
        ObjectNode item = DicomJson.object();
        DicomJson.string(item, "0020000D", "UI", studyId);
        DicomJson.string(item, "00100020", "LO", patientId);
        DicomJson.string(item, "00080050", "SH", accessionId);
        return item;
    }
}
