package io.medssl.ingest.dicomweb;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.medssl.contracts.InstanceIngested;
import io.medssl.contracts.Problem;
import io.medssl.ingest.service.InstanceIndex;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * QIDO-RS (PS3.18 10.6) over the de-identified index: studies, series and instances, matched on
 * the standard keys (by keyword or tag) with {@code *}/{@code ?} wildcards, {@code limit} and
 * {@code offset}. Every identifier in the index is a pseudonym, so queries and answers use
 * pseudonyms (StudyInstanceUID, PatientID, AccessionNumber); nothing identifying is answered.
 * Unsupported keys are ignored with a {@code Warning: 299} header, as PS3.18 allows.
 */
@Path("/dicomweb")
@Produces({StowResource.DICOM_JSON, Problem.MEDIA_TYPE})
public class QidoResource {
    private enum Level { STUDY, SERIES, INSTANCE }

    /** Query keys by keyword and tag → how to read them from an index entry. */
    private static final Map<String, Function<InstanceIndex.Entry, String>> KEYS = new LinkedHashMap<>();
    private static final Map<String, String> TAGS = Map.of(
            "0020000D", "StudyInstanceUID", "0020000E", "SeriesInstanceUID", "00080018", "SOPInstanceUID",
            "00100020", "PatientID", "00080050", "AccessionNumber", "00080060", "Modality", "00080061", "ModalitiesInStudy",
            "00180015", "BodyPartExamined", "00080016", "SOPClassUID");

    static {
        KEYS.put("StudyInstanceUID", e -> e.instance().studyId());
        KEYS.put("SeriesInstanceUID", e -> e.instance().seriesId());
        KEYS.put("SOPInstanceUID", e -> e.instance().instanceId());
        KEYS.put("PatientID", e -> e.instance().patientId());
        KEYS.put("AccessionNumber", InstanceIndex.Entry::accessionId);
        KEYS.put("Modality", e -> e.instance().modality());
        KEYS.put("ModalitiesInStudy", e -> e.instance().modality());
        KEYS.put("BodyPartExamined", e -> e.instance().bodyPart());
        KEYS.put("SOPClassUID", e -> e.instance().sopClassUid());
    }

    private final InstanceIndex index;

    public QidoResource(InstanceIndex index) {
        this.index = index;
    }

    @GET
    @Path("/studies")
    public Response studies(@Context UriInfo uri) throws IOException {
        return search(Level.STUDY, uri, Map.of());
    }

    @GET
    @Path("/series")
    public Response series(@Context UriInfo uri) throws IOException {
        return search(Level.SERIES, uri, Map.of());
    }

    @GET
    @Path("/studies/{study}/series")
    public Response studySeries(@PathParam("study") String study, @Context UriInfo uri) throws IOException {
        return search(Level.SERIES, uri, Map.of("StudyInstanceUID", study));
    }

    @GET
    @Path("/instances")
    public Response instances(@Context UriInfo uri) throws IOException {
        return search(Level.INSTANCE, uri, Map.of());
    }

    @GET
    @Path("/studies/{study}/instances")
    public Response studyInstances(@PathParam("study") String study, @Context UriInfo uri) throws IOException {
        return search(Level.INSTANCE, uri, Map.of("StudyInstanceUID", study));
    }

    @GET
    @Path("/studies/{study}/series/{series}/instances")
    public Response seriesInstances(@PathParam("study") String study, @PathParam("series") String series, @Context UriInfo uri)
            throws IOException {
        return search(Level.INSTANCE, uri, Map.of("StudyInstanceUID", study, "SeriesInstanceUID", series));
    }

    private Response search(Level level, UriInfo uri, Map<String, String> pathKeys) throws IOException {
        MultivaluedMap<String, String> query = uri.getQueryParameters();
        int limit;
        int offset;
        try {
            limit = query.containsKey("limit") ? Integer.parseInt(query.getFirst("limit")) : Integer.MAX_VALUE;
            offset = query.containsKey("offset") ? Integer.parseInt(query.getFirst("offset")) : 0;
        } catch (NumberFormatException e) {
            return problem(400, "Invalid limit or offset", "limit and offset must be whole numbers");
        }
        if (limit < 0 || offset < 0) {
            return problem(400, "Invalid limit or offset", "limit and offset must not be negative");
        }
        Map<String, Pattern> filters = new LinkedHashMap<>();
        List<String> ignored = new ArrayList<>();
        for (Map.Entry<String, List<String>> param : query.entrySet()) {
            String key = TAGS.getOrDefault(param.getKey().toUpperCase(), param.getKey());
            if (List.of("limit", "offset", "includefield", "fuzzymatching").contains(param.getKey())) {
                continue;
            }
            if (!KEYS.containsKey(key)) {
                ignored.add(param.getKey());
                continue;
            }
            filters.put(key, pattern(param.getValue().get(0)));
        }
        pathKeys.forEach((k, v) -> filters.put(k, Pattern.compile(Pattern.quote(v))));

        List<InstanceIndex.Entry> matching = index.entries().stream()
                .filter(e -> filters.entrySet().stream().allMatch(f -> {
                    String value = KEYS.get(f.getKey()).apply(e);
                    return value != null && f.getValue().matcher(value).matches();
                }))
                .sorted(Comparator.comparing((InstanceIndex.Entry e) -> e.instance().studyId())
                        .thenComparing(e -> e.instance().seriesId()).thenComparing(e -> e.instance().instanceId()))
                .toList();
        Function<InstanceIndex.Entry, String> groupBy = switch (level) {
            case STUDY -> e -> e.instance().studyId();
            case SERIES -> e -> e.instance().seriesId();
            case INSTANCE -> e -> e.instance().instanceId();
        };
        Map<String, List<InstanceIndex.Entry>> groups = matching.stream()
                .collect(Collectors.groupingBy(groupBy, LinkedHashMap::new, Collectors.toList()));
        ArrayNode answer = DicomJson.array();
        groups.values().stream().skip(offset).limit(limit).forEach(group -> answer.add(describe(level, group)));
        Response.ResponseBuilder response = Response.ok(answer).type(StowResource.DICOM_JSON);
        if (!ignored.isEmpty()) {
            response.header("Warning", "299 medssl: \"The following query keys are not supported and were ignored: "
                    + String.join(", ", ignored) + "\"");
        }
        return response.build();
    }

    private static ObjectNode describe(Level level, List<InstanceIndex.Entry> group) {
        InstanceIngested first = group.get(0).instance();
        ObjectNode item = DicomJson.object();
        DicomJson.string(item, "0020000D", "UI", first.studyId());
        DicomJson.string(item, "00100020", "LO", first.patientId());
        DicomJson.string(item, "00080050", "SH", group.get(0).accessionId());
        switch (level) {
            case STUDY -> {
                DicomJson.strings(item, "00080061", "CS", group.stream().map(e -> e.instance().modality())
                        .filter(m -> m != null && !m.isEmpty()).collect(Collectors.toCollection(TreeSet::new)));
                DicomJson.number(item, "00201206", "IS", group.stream().map(e -> e.instance().seriesId()).distinct().count());
                DicomJson.number(item, "00201208", "IS", group.size());
            }
            case SERIES -> {
                DicomJson.string(item, "0020000E", "UI", first.seriesId());
                DicomJson.string(item, "00080060", "CS", first.modality());
                DicomJson.string(item, "00180015", "CS", first.bodyPart());
                DicomJson.number(item, "00201209", "IS", group.size());
            }
            case INSTANCE -> {
                DicomJson.string(item, "0020000E", "UI", first.seriesId());
                DicomJson.string(item, "00080018", "UI", first.instanceId());
                DicomJson.string(item, "00080016", "UI", first.sopClassUid());
                DicomJson.string(item, "00080060", "CS", first.modality());
                DicomJson.number(item, "00280010", "US", first.rows());
                DicomJson.number(item, "00280011", "US", first.columns());
                DicomJson.number(item, "00280008", "IS", first.frames());
            }
            default -> throw new IllegalStateException();
        }
        return item;
    }

    /** A QIDO match value: exact, or with {@code *} (any run) and {@code ?} (one character) wildcards. */
    private static Pattern pattern(String value) {
        StringBuilder regex = new StringBuilder();
        for (char c : value.toCharArray()) {
            regex.append(c == '*' ? ".*" : c == '?' ? "." : Pattern.quote(String.valueOf(c)));
        }
        return Pattern.compile(regex.toString());
    }

    private static Response problem(int status, String title, String detail) {
        return Response.status(status).type(Problem.MEDIA_TYPE).entity(Problem.of(status, title, detail)).build();
    }
}
