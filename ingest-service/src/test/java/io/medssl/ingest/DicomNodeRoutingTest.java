package io.medssl.ingest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.medssl.contracts.EventJson;
import io.medssl.contracts.InstanceIngested;
import io.medssl.contracts.Topics;
import io.medssl.dicom.DicomReader;
import io.medssl.ingest.deid.Pseudonymizer;
import io.medssl.ingest.service.InstanceKeys;
import io.medssl.kafka.KafkaBrokerTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The node as hospital IT configures it: only known senders get in, each sender's (or each called
 * AE title's) objects land in their dataset, and an object ingest refuses is answered with the
 * failure status and reason instead of a false Success. Own profile (own port, own datasets) so the
 * other tests' counts are untouched; every object sent here gets fresh UIDs.
 */
@QuarkusTest
@TestProfile(DicomNodeRoutingTest.Profile.class)
@QuarkusTestResource(KafkaBrokerTestResource.class)
class DicomNodeRoutingTest {
    static final Path SAMPLES = Path.of(System.getProperty("test.samples.dir"));
    static final int PORT = 11194;

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "medssl.dicom.port", String.valueOf(PORT),
                    "medssl.dataset", "routing-default",
                    "medssl.dicom.allowed-calling-ae-titles", "MAPPED,PLAIN",
                    "medssl.dicom.datasets.\"MAPPED\"", "mapped-ds",
                    "medssl.dicom.called-ae-datasets.\"MEDSSL_NEURO\"", "neuro",
                    "medssl.dicom.max-associations", "4");
        }
    }

    @Inject
    Pseudonymizer pseudonyms;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @ConfigProperty(name = "medssl.storage.root")
    Path storageRoot;

    @TempDir
    Path tmp;

    record Run(int exit, String output) {
    }

    static Run run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Run(p.exitValue(), output);
    }

    /** A copy of a sample with a new SOP Instance UID (dcmodify -gin), so its events are this test's own. */
    Path freshCopy(String sample) throws Exception {
        Path copy = tmp.resolve(sample + "-" + System.nanoTime());
        Files.copy(SAMPLES.resolve(sample), copy);
        Run r = run("dcmodify", "-nb", "-gin", copy.toString());
        assertThat(r.exit()).as(r.output()).isZero();
        return copy;
    }

    static Run store(String callingAe, String calledAe, Path file) throws Exception {
        return run("storescu", "-v", "-aet", callingAe, "-aec", calledAe, "127.0.0.1", String.valueOf(PORT), file.toString());
    }

    @Test
    void eachObjectLandsInTheDatasetItsAeTitlesMapTo() throws Exception {
        Path viaCalling = freshCopy("MR2_UNC");
        Path viaCalled = freshCopy("MR2_UNC");
        Path unmapped = freshCopy("MR2_UNC");
        assertThat(store("MAPPED", "MEDSSL", viaCalling).exit()).isZero();
        assertThat(store("PLAIN", "MEDSSL_NEURO", viaCalled).exit()).isZero();
        assertThat(store("PLAIN", "MEDSSL", unmapped).exit()).isZero();

        Map<String, String> expected = Map.of(
                id(viaCalling), "mapped-ds",
                id(viaCalled), "neuro",
                id(unmapped), "routing-default");
        Map<String, InstanceIngested> events = consume(expected.keySet());
        assertThat(events).hasSize(3);
        expected.forEach((id, dataset) -> assertThat(events.get(id).dataset()).as(id).isEqualTo(dataset));
        given().get("/api/v1/instances/" + id(viaCalling)).then().statusCode(200).body("dataset", equalTo("mapped-ds"));
    }

    @Test
    void onlyAllowedCallersGetIn() throws Exception {
        Run unknown = run("echoscu", "-v", "-aet", "UNKNOWN", "-aec", "MEDSSL", "127.0.0.1", String.valueOf(PORT));
        assertThat(unknown.exit()).isNotZero();
        assertThat(unknown.output()).contains("Calling AE Title Not Recognized");
        assertThat(run("echoscu", "-aet", "PLAIN", "-aec", "MEDSSL", "127.0.0.1", String.valueOf(PORT)).exit()).isZero();
        Run wrongCalled = run("echoscu", "-v", "-aet", "PLAIN", "-aec", "MEDSSL_OTHER", "127.0.0.1", String.valueOf(PORT));
        assertThat(wrongCalled.output()).contains("Called AE Title Not Recognized");
        given().get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'dicom-node' }.data.maxAssociations", equalTo(4));
    }

    @Test
    void anObjectIngestRefusesIsAnsweredWithItsFailureStatus() throws Exception {
        // Without StudyInstanceUID the reader refuses it: 0xC000 "cannot understand", nothing kept.
        Path broken = freshCopy("MR2_UNC");
        String id = id(broken);
        assertThat(run("dcmodify", "-nb", "-ea", "(0020,000d)", broken.toString()).exit()).isZero();
        Run send = run("storescu", "-d", "-aet", "PLAIN", "-aec", "MEDSSL", "127.0.0.1", String.valueOf(PORT), broken.toString());
        assertThat(send.exit()).as(send.output()).isEqualTo(0xC0);
        assertThat(send.output()).contains("DIMSE Status                  : 0xc000").contains("lacks StudyInstanceUID");
        Path incoming = storageRoot.resolve("ingest/incoming");
        try (Stream<Path> left = Files.walk(incoming)) {
            assertThat(left.filter(Files::isRegularFile)).isEmpty();
        }
        assertThat(storageRoot.resolve(InstanceKeys.original(id))).doesNotExist();
        given().get("/api/v1/instances/" + id).then().statusCode(404);
    }

    @Test
    void burnedInAnnotationIsQuarantinedNotPassedOn() throws Exception {
        Path flagged = freshCopy("MR2_UNC");
        Path clean = freshCopy("MR2_UNC");
        assertThat(run("dcmodify", "-nb", "-i", "(0028,0301)=YES", flagged.toString()).exit()).isZero();
        Run send = store("PLAIN", "MEDSSL", flagged);
        assertThat(send.exit()).as("kept durably: Success").isZero();
        assertThat(store("PLAIN", "MEDSSL", clean).exit()).isZero();
        String id = id(flagged);
        assertThat(storageRoot.resolve(InstanceKeys.quarantined(id))).isRegularFile();
        assertThat(storageRoot.resolve(InstanceKeys.original(id))).doesNotExist();
        // The clean copy sent after it is announced (one partition: in order); the flagged one is not.
        Map<String, InstanceIngested> events = consume(Set.of(id, id(clean)), id(clean));
        assertThat(events).containsOnlyKeys(id(clean));
        given().get("/api/v1/instances/" + id).then().statusCode(404);
    }

    private String id(Path file) throws Exception {
        return pseudonyms.uid(DicomReader.read(file).sopInstanceUid());
    }

    private Map<String, InstanceIngested> consume(Set<String> ids) {
        return consume(ids, null);
    }

    /** Events of {@code ids}, until all are found or (when given) {@code last} is. */
    private Map<String, InstanceIngested> consume(Set<String> ids, String last) {
        Map<String, Object> config = Map.of("bootstrap.servers", bootstrap, "group.id", "routing-test-" + System.nanoTime(),
                "auto.offset.reset", "earliest");
        Map<String, InstanceIngested> found = new HashMap<>();
        try (var consumer = new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(Topics.INSTANCES));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (found.size() < ids.size() && (last == null || !found.containsKey(last)) && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(500)).forEach(r -> {
                    InstanceIngested i = EventJson.read(r.value(), InstanceIngested.class);
                    if (ids.contains(i.instanceId())) {
                        found.put(i.instanceId(), i);
                    }
                });
            }
        }
        return found;
    }
}
