package io.medssl.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.startsWith;

import io.medssl.contracts.EventJson;
import io.medssl.contracts.InstanceIngested;
import io.medssl.contracts.LabelAssigned;
import io.medssl.contracts.Topics;
import io.medssl.dicom.DicomObject;
import io.medssl.dicom.DicomReader;
import io.medssl.ingest.deid.Pseudonymizer;
import io.medssl.ingest.index.IndexSearch;
import io.medssl.ingest.service.InstanceIndex;
import io.medssl.kafka.KafkaBrokerTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.config.EncoderConfig;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * Labels sent by original StudyInstanceUID (CSV) or AccessionNumber (JSON) land on
 * medssl.labels as LabelAssigned events for the study pseudonyms that ingest announced, with no
 * original identifier in any event or index record. Its own profile (own app, broker and storage)
 * keeps the instances it ingests out of {@link DicomIngestTest}'s counts.
 */
@QuarkusTest
@TestProfile(LabelAssignmentTest.Profile.class)
@QuarkusTestResource(KafkaBrokerTestResource.class)
class LabelAssignmentTest {
    static final String DATASET = "chest-labels";
    static final Path SAMPLES = Path.of(System.getProperty("test.samples.dir"));
    static final Path STORESCU_CFG = Path.of(System.getProperty("test.repo.dir")).resolve("deploy/local/dcmtk/storescu.cfg");
    static final String PATH = "/api/v1/datasets/{dataset}/labels";
    /** An accession number written into a copy of a sample (the samples' own are empty, or "710000"). */
    static final String ACCESSION = "RAD-0042";

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("medssl.dataset", DATASET, "medssl.labels.max-rows", "5");
        }
    }

    /** Original study → sample, and the study pseudonym InstanceIngested carried for it. */
    record Study(DicomObject original, String studyId) {
    }

    private static Map<String, Study> studies;
    private static AssertionError setupFailure;

    @Inject
    Pseudonymizer pseudonyms;

    @Inject
    InstanceIndex index;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @ConfigProperty(name = "medssl.storage.root")
    Path storageRoot;

    @ConfigProperty(name = "medssl.dicom.port")
    int dicomPort;

    /** CT, MR, OT (accession 710000) and a copy of test16signed with accession RAD-0042, sent by storescu. */
    private synchronized Map<String, Study> ingested() throws Exception {
        if (studies != null) {
            return studies;
        }
        if (setupFailure != null) {
            throw setupFailure;
        }
        try {
            studies = ingest();
            return studies;
        } catch (AssertionError e) {
            setupFailure = e;
            throw e;
        }
    }

    private Map<String, Study> ingest() throws Exception {
        Path dir = Files.createTempDirectory("label-test");
        Path withAccession = dir.resolve("test16signed-accession.dcm");
        Files.copy(SAMPLES.resolve("test16signed.dcm"), withAccession);
        withAccession.toFile().setWritable(true);
        Process modify = new ProcessBuilder("dcmodify", "-nb", "-i", "(0008,0050)=" + ACCESSION, withAccession.toString())
                .redirectErrorStream(true).start();
        String modifyOutput = new String(modify.getInputStream().readAllBytes());
        assertThat(modify.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(modify.exitValue()).as(modifyOutput).isZero();

        Map<String, Path> files = Map.of("CT", SAMPLES.resolve("CT-JPEGLosslessSV1.dcm"), "MR", SAMPLES.resolve("MR2_UNC"),
                "OT", SAMPLES.resolve("OT-PAL-8-face"), "T16", withAccession);
        List<String> cmd = new ArrayList<>(List.of("storescu", "-nh", "-xf", STORESCU_CFG.toString(), "MedSSL",
                "-aet", "TESTMODALITY", "-aec", "MEDSSL", "127.0.0.1", String.valueOf(dicomPort)));
        files.values().forEach(p -> cmd.add(p.toString()));
        Process storescu = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String output = new String(storescu.getInputStream().readAllBytes());
        assertThat(storescu.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(storescu.exitValue()).as(output).isZero();

        List<InstanceIngested> events = consume(Topics.INSTANCES, all -> all.size() >= files.size()).stream()
                .map(json -> EventJson.read(json, InstanceIngested.class)).toList();
        Map<String, Study> result = new HashMap<>();
        for (var file : files.entrySet()) {
            DicomObject original = DicomReader.read(file.getValue());
            InstanceIngested event = events.stream().filter(e -> e.instanceId().equals(pseudonyms.uid(original.sopInstanceUid())))
                    .findFirst().orElseThrow(() -> new AssertionError("no InstanceIngested for " + file.getKey()));
            assertThat(event.dataset()).isEqualTo(DATASET);
            result.put(file.getKey(), new Study(original, event.studyId()));
        }
        assertThat(result.get("OT").original().accessionNumber()).isEqualTo("710000");
        assertThat(result.get("T16").original().accessionNumber()).isEqualTo(ACCESSION);
        return result;
    }

    @Test
    void csvRowsAreMatchedByStudyInstanceUid() throws Exception {
        Map<String, Study> s = ingested();
        String ct = s.get("CT").original().studyInstanceUid();
        String mr = s.get("MR").original().studyInstanceUid();
        // BOM, CRLF, padded header names, quoted and padded fields, an extra column, an empty line and
        // a spreadsheet's trailing line of empty cells.
        String csv = "\uFEFF Study Instance UID , label ,comment\r\n"
                + ct + ",csv-pneumonia,first\r\n"
                + "  \"" + mr + "\"  , \"csv-normal, no finding\" ,\r\n"
                + "\r\n"
                + "1.2.3.4.5.6.7,csv-other,not ingested\r\n"
                + ct + ",,no label\r\n"
                + "not-a-uid,csv-x,\r\n"
                + ",,\r\n";
        given().contentType("text/csv").body(csv.getBytes(StandardCharsets.UTF_8))
                .post(PATH, DATASET)
                .then().statusCode(200).contentType("application/json")
                .body("dataset", equalTo(DATASET))
                .body("rows", equalTo(5))
                .body("assigned", equalTo(2))
                .body("unknown", hasSize(1))
                .body("unknown[0].row", equalTo(3))
                .body("unknown[0].studyInstanceUid", equalTo("1.2.3.4.5.6.7"))
                .body("unknown[0].reason", equalTo("no such study in dataset"))
                .body("invalid.row", equalTo(List.of(4, 5)))
                .body("invalid[0].reason", equalTo("no label"))
                .body("invalid[1].reason", equalTo("StudyInstanceUID is not a DICOM UID"));

        List<LabelAssigned> labels = labels(l -> l.label().startsWith("csv-"), 2);
        assertThat(labels).extracting(LabelAssigned::studyId, LabelAssigned::label).containsExactlyInAnyOrder(
                org.assertj.core.groups.Tuple.tuple(s.get("CT").studyId(), "csv-pneumonia"),
                org.assertj.core.groups.Tuple.tuple(s.get("MR").studyId(), "csv-normal, no finding"));
        assertThat(labels).allSatisfy(l -> {
            assertThat(l.dataset()).isEqualTo(DATASET);
            assertThat(l.source()).isEqualTo("api");
            assertThat(l.schemaVersion()).isEqualTo(LabelAssigned.SCHEMA_VERSION);
        });
        // The pseudonym is the one ingest computes for the original StudyInstanceUID, and no event
        // on medssl.labels carries an original identifier.
        assertThat(s.get("CT").studyId()).isEqualTo(pseudonyms.uid(ct)).isNotEqualTo(ct);
        assertNoOriginalIdentifierIn(consume(Topics.LABELS, all -> !all.isEmpty()), s);
    }

    @Test
    void jsonRowsAreMatchedByAccessionNumber() throws Exception {
        Map<String, Study> s = ingested();
        String ct = s.get("CT").original().studyInstanceUid();
        String json = "["
                + "{\"accessionNumber\": \"710000\", \"label\": \"json-face\"},"
                + "{\"AccessionNumber\": \" " + ACCESSION + " \", \"label\": \"json-signed\", \"note\": \"ignored\"},"
                + "{\"accessionNumber\": \"NOPE-1\", \"label\": \"json-x\"},"
                + "{\"studyInstanceUid\": \"" + ct + "\", \"accessionNumber\": \"710000\", \"label\": \"json-y\"},"
                + "null"
                + "]";
        given().contentType("application/json").body(json)
                .post(PATH, DATASET)
                .then().statusCode(200)
                .body("rows", equalTo(5))
                .body("assigned", equalTo(2))
                .body("unknown", hasSize(1))
                .body("unknown[0].row", equalTo(3))
                .body("unknown[0].accessionNumber", equalTo("NOPE-1"))
                .body("unknown[0].reason", equalTo("no such study in dataset"))
                .body("invalid.row", equalTo(List.of(4, 5)))
                .body("invalid[0].reason", equalTo("StudyInstanceUID and AccessionNumber name different studies"))
                .body("invalid[1].reason", equalTo("no StudyInstanceUID or AccessionNumber"));

        List<LabelAssigned> labels = labels(l -> l.label().startsWith("json-"), 2);
        assertThat(labels).extracting(LabelAssigned::studyId, LabelAssigned::label).containsExactlyInAnyOrder(
                org.assertj.core.groups.Tuple.tuple(s.get("OT").studyId(), "json-face"),
                org.assertj.core.groups.Tuple.tuple(s.get("T16").studyId(), "json-signed"));
        assertNoOriginalIdentifierIn(consume(Topics.LABELS, all -> !all.isEmpty()), s);

        // The index keeps the accession number's pseudonym, never the number itself.
        String instanceId = pseudonyms.uid(s.get("T16").original().sopInstanceUid());
        assertThat(index.findInstances(List.of(new IndexSearch.Criterion(IndexSearch.Key.SOP_INSTANCE_UID, instanceId)), false, 0, 10))
                .extracting(InstanceIndex.Entry::accessionId).containsExactly(pseudonyms.accession(ACCESSION));
        assertThat(index.findInstances(List.of(), false, 0, Integer.MAX_VALUE))
                .allSatisfy(e -> assertThat(e.toString()).doesNotContain(ACCESSION));
        // Only the pseudonym map knows the original (and it never leaves ingest).
        assertThat(index.original(pseudonyms.accession(ACCESSION))).contains(ACCESSION);
        // The REST view of the index is the event, unchanged.
        given().get("/api/v1/instances/" + instanceId).then().statusCode(200)
                .body("studyId", equalTo(s.get("T16").studyId())).body("accessionId", equalTo(null));
    }

    @Test
    void conflictingLabelsForOneStudyAssignNeither() throws Exception {
        Map<String, Study> s = ingested();
        String json = "[{\"studyInstanceUid\": \"" + s.get("MR").original().studyInstanceUid() + "\", \"label\": \"conflict-a\"},"
                + "{\"studyInstanceUid\": \"" + s.get("CT").original().studyInstanceUid() + "\", \"label\": \"conflict-ok\"},"
                + "{\"studyInstanceUid\": \"" + s.get("MR").original().studyInstanceUid() + "\", \"label\": \"conflict-b\"}]";
        given().contentType("application/json").body(json).post(PATH, DATASET)
                .then().statusCode(200)
                .body("assigned", equalTo(1))
                .body("unknown", empty())
                .body("invalid.row", equalTo(List.of(1, 3)))
                .body("invalid[0].reason", equalTo("different labels for the same study in rows 1, 3"));
        assertThat(labels(l -> l.label().startsWith("conflict-"), 1)).extracting(LabelAssigned::label).containsExactly("conflict-ok");
    }

    @Test
    void studiesOfAnotherDatasetAreUnknown() throws Exception {
        Map<String, Study> s = ingested();
        given().contentType("text/csv").body("StudyInstanceUID,label\n" + s.get("CT").original().studyInstanceUid() + ",elsewhere\n")
                .post(PATH, "another-dataset")
                .then().statusCode(200)
                .body("dataset", equalTo("another-dataset"))
                .body("assigned", equalTo(0))
                .body("unknown.row", equalTo(List.of(1)))
                .body("invalid", empty());
    }

    @Test
    void badRequestsGetProblemBodies() {
        problem(given().contentType("text/csv").body(new byte[0]).post(PATH, DATASET), 400, "Empty request");
        problem(given().contentType("application/json").body(new byte[0]).post(PATH, DATASET), 400, "Empty request");
        problem(given().contentType("text/csv").body("StudyInstanceUID,diagnosis\n1.2.3,x\n").post(PATH, DATASET), 400, "No label column");
        problem(given().contentType("text/csv").body("PatientID,label\n123,x\n").post(PATH, DATASET), 400, "No study column");
        problem(given().contentType("text/csv").body("StudyInstanceUID,label,label\n").post(PATH, DATASET), 400, "Duplicate column");
        problem(given().contentType("text/csv").body("StudyInstanceUID,label\n").post(PATH, DATASET), 400, "No label rows");
        problem(given().contentType("text/csv").body("StudyInstanceUID,label\n\"1.2.3,unclosed\n").post(PATH, DATASET), 400,
                "Unparsable CSV");
        problem(given().contentType("text/csv; charset=UTF-8").body(new byte[] {'a', ',', (byte) 0xff, '\n'}).post(PATH, DATASET), 400,
                "Unreadable CSV");
        problem(given().contentType("application/json").body("[{\"label\": ").post(PATH, DATASET), 400, "Unparsable JSON");
        problem(given().contentType("application/json").body("{\"label\": \"x\"}").post(PATH, DATASET), 400, "Not a JSON array");
        problem(given().contentType("application/json").body("[{\"label\": {\"nested\": 1}}]").post(PATH, DATASET), 400,
                "Unparsable JSON");
        problem(given().contentType("application/json").body("[]").post(PATH, DATASET), 400, "No label rows");
        problem(given().contentType("text/plain").body("StudyInstanceUID,label\n1.2.3,x\n").post(PATH, DATASET), 415,
                "Unsupported media type");
        problem(given().contentType("application/xml").body("<labels/>").post(PATH, DATASET), 415, "Unsupported media type");
        problem(given().contentType("text/csv; charset=no-such-charset").body("StudyInstanceUID,label\n".getBytes(StandardCharsets.UTF_8)).post(PATH, DATASET), 415,
                "Unsupported charset");
        StringBuilder six = new StringBuilder("StudyInstanceUID,label\n");
        for (int i = 1; i <= 6; i++) {
            six.append("1.2.3.").append(i).append(",x\n");
        }
        problem(given().contentType("text/csv").body(six.toString()).post(PATH, DATASET), 413, "Too many rows");
    }

    @Test
    void theEndpointIsInTheOpenApiDocument() {
        given().accept("application/json").get("/q/openapi?format=json").then().statusCode(200)
                .body("paths.'/api/v1/datasets/{dataset}/labels'.post.requestBody.content.keySet()",
                        hasItems("text/csv", "application/json"))
                .body("paths.'/api/v1/datasets/{dataset}/labels'.post.responses.keySet()", hasItems("200", "400", "415"))
                .body("paths.'/api/v1/datasets/{dataset}/labels'.post.responses.'400'.content.keySet()",
                        hasItems("application/problem+json"))
                .body("paths.'/api/v1/datasets/{dataset}/labels'.post.requestBody.content.'application/json'.schema.type",
                        equalTo("array"))
                .body("paths.'/api/v1/datasets/{dataset}/labels'.post.requestBody.content.'application/json'.schema.items.'$ref'",
                        equalTo("#/components/schemas/LabelRow"))
                .body("components.schemas.LabelImportResult.properties.keySet()",
                        hasItems("dataset", "assigned", "unknown", "invalid"));
    }

    /** Bodies go out as given: no charset parameter added to text/csv behind the test's back. */
    private static RequestSpecification given() {
        return RestAssured.given().config(RestAssured.config()
                .encoderConfig(EncoderConfig.encoderConfig().appendDefaultContentCharsetToContentTypeIfUndefined(false)));
    }

    private static void problem(io.restassured.response.Response response, int status, String title) {
        ValidatableResponse r = response.then().statusCode(status).contentType(startsWith("application/problem+json"));
        r.body("status", equalTo(status)).body("title", equalTo(title)).body("type", equalTo("about:blank"));
    }

    private void assertNoOriginalIdentifierIn(List<String> events, Map<String, Study> s) {
        for (Study study : s.values()) {
            DicomObject o = study.original();
            for (String phi : List.of(o.studyInstanceUid(), o.sopInstanceUid(), o.patientId(), o.patientName())) {
                if (phi.length() >= 3) {
                    assertThat(events).allSatisfy(json -> assertThat(json).doesNotContain(phi));
                }
            }
        }
        assertThat(events).allSatisfy(json -> assertThat(json).doesNotContain(ACCESSION).doesNotContain("\"710000\""));
    }

    /** The LabelAssigned events that satisfy {@code which}, once there are {@code expected} of them. */
    private List<LabelAssigned> labels(Predicate<LabelAssigned> which, int expected) {
        List<String> json = consume(Topics.LABELS,
                all -> all.stream().map(j -> EventJson.read(j, LabelAssigned.class)).filter(which).count() >= expected);
        List<LabelAssigned> labels = json.stream().map(j -> EventJson.read(j, LabelAssigned.class)).filter(which).toList();
        assertThat(labels).hasSize(expected);
        return labels;
    }

    /** Every record on {@code topic} from the beginning, once {@code enough} holds (or after 60 s). */
    private List<String> consume(String topic, Predicate<List<String>> enough) {
        Map<String, Object> config = Map.of("bootstrap.servers", bootstrap, "group.id", "label-test-" + System.nanoTime(),
                "auto.offset.reset", "earliest");
        List<String> values = new ArrayList<>();
        try (var consumer = new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (!enough.test(values) && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(500)).forEach(r -> values.add(r.value()));
            }
            // Whatever else is already there (a test that expects n events must not stop at the n-th).
            consumer.poll(Duration.ofMillis(500)).forEach(r -> values.add(r.value()));
        }
        return values;
    }
}
