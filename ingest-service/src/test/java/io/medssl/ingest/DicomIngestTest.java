package io.medssl.ingest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;

import io.medssl.contracts.EventJson;
import io.medssl.contracts.InstanceIngested;
import io.medssl.contracts.Topics;
import io.medssl.dicom.DicomObject;
import io.medssl.dicom.DicomReader;
import io.medssl.imaging.PixelArray;
import io.medssl.ingest.deid.Pseudonymizer;
import io.medssl.ingest.service.InstanceKeys;
import jakarta.inject.Inject;
import io.medssl.kafka.KafkaBrokerTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * Every shared sample goes in through dcmtk's storescu (a real DICOM peer) and comes out as
 * InstanceIngested events on a real Kafka broker, with pixels in storage and no PHI anywhere.
 */
@QuarkusTest
@QuarkusTestResource(KafkaBrokerTestResource.class)
class DicomIngestTest {
    static final Path SAMPLES = Path.of(System.getProperty("test.samples.dir"));
    static final Path STORESCU_CFG = Path.of(System.getProperty("test.repo.dir")).resolve("deploy/local/dcmtk/storescu.cfg");

    @Inject
    Pseudonymizer pseudonyms;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @ConfigProperty(name = "medssl.storage.root")
    Path storageRoot;

    @ConfigProperty(name = "medssl.dicom.port")
    int dicomPort;

    @Test
    void everySampleIsStoredAnnouncedAndDeIdentified() throws Exception {
        List<Path> samples;
        try (Stream<Path> files = Files.list(SAMPLES)) {
            samples = files.filter(p -> !p.getFileName().toString().endsWith(".md"))
                    .sorted(java.util.Comparator.comparing(p -> p.getFileName().toString())).toList();
        }
        List<String> cmd = new ArrayList<>(List.of("storescu", "-nh", "-xf", STORESCU_CFG.toString(), "MedSSL",
                "-aet", "TESTMODALITY", "-aec", "MEDSSL", "127.0.0.1", String.valueOf(dicomPort)));
        samples.forEach(p -> cmd.add(p.toString()));
        Process storescu = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String output = new String(storescu.getInputStream().readAllBytes());
        assertThat(storescu.waitFor(120, TimeUnit.SECONDS)).isTrue();

        // What the test knows of each readable sample: its PHI and its pseudonym.
        Map<String, DicomObject> readable = new HashMap<>();
        for (Path p : samples) {
            try {
                readable.put(p.getFileName().toString(), DicomReader.read(p));
            } catch (Exception notReadable) {
                // no_preamble_dicm_in_data: storescu refuses to send it, and we could not read it either.
            }
        }
        assertThat(readable).hasSize(13);
        // US-PAL-8-10x-echo and jpeg-ls-Palette.dcm are one instance (same SOP Instance UID) in two
        // encodings: the later copy (JPEG-LS, sent last in name order) replaces the earlier one.
        long distinct = readable.values().stream().map(DicomObject::sopInstanceUid).distinct().count();
        assertThat(distinct).isEqualTo(12);

        List<String> events = consume((int) distinct);
        assertThat(events).as("storescu said:%n%s", output).hasSize((int) distinct);
        Map<String, InstanceIngested> byId = new HashMap<>();
        events.forEach(e -> {
            InstanceIngested i = EventJson.read(e, InstanceIngested.class);
            byId.put(i.instanceId(), i);
        });

        for (DicomObject o : readable.values()) {
            for (String phi : List.of(o.patientName(), o.patientId(), o.accessionNumber(), o.sopInstanceUid(), o.studyInstanceUid())) {
                if (phi.length() >= 3) {
                    assertThat(events).allSatisfy(json -> assertThat(json).doesNotContain(phi));
                }
            }
        }
        assertThat(byId.values()).allSatisfy(i -> {
            assertThat(i.instanceId()).startsWith("2.25.");
            assertThat(i.patientId()).startsWith("P-");
            assertThat(i.dataset()).isEqualTo("default");
        });
        Map<String, Boolean> expectDecodable = Map.ofEntries(
                Map.entry("CT-JPEGLosslessSV1.dcm", true), Map.entry("MR-JPEGLosslessSV1.dcm", true),
                Map.entry("MR2_UNC", true), Map.entry("NM-MONO2-16-13x-heart", true),
                Map.entry("OT-PAL-8-face", true), Map.entry("US-RGB-8-esopecho", true),
                Map.entry("YBR_FULL-RLE.dcm", true), Map.entry("cplx_p02.dcm", true),
                Map.entry("test16signed.dcm", true),
                Map.entry("NM1_JPLY", false), Map.entry("report_dfl", false), Map.entry("jpeg-ls-Palette.dcm", false));
        expectDecodable.forEach((file, decodable) -> {
            InstanceIngested i = byId.get(pseudonyms.uid(readable.get(file).sopInstanceUid()));
            assertThat(i).as(file).isNotNull();
            assertThat(i.decodable()).as(file).isEqualTo(decodable);
            if (decodable) {
                assertThat(storageRoot.resolve(i.pixelKey())).as(file).isRegularFile();
            } else {
                assertThat(i.undecodableReason()).as(file).isNotBlank();
                assertThat(i.pixelKey()).as(file).isNull();
            }
        });
        // The PS3.15 copy downstream may read: keyed UIDs and patient pseudonym, none of the PHI.
        for (Map.Entry<String, DicomObject> sample : readable.entrySet()) {
            InstanceIngested i = byId.get(pseudonyms.uid(sample.getValue().sopInstanceUid()));
            if (i.decodable()) {
                assertThat(i.deidentifiedKey()).as(sample.getKey()).isEqualTo(InstanceKeys.deidentified(i.instanceId()));
            }
            if (i.deidentifiedKey() == null) {
                continue;
            }
            Path copy = storageRoot.resolve(i.deidentifiedKey());
            DicomObject deidentified = DicomReader.read(copy);
            assertThat(deidentified.sopInstanceUid()).as(sample.getKey()).isEqualTo(i.instanceId());
            assertThat(deidentified.studyInstanceUid()).as(sample.getKey()).isEqualTo(i.studyId());
            assertThat(deidentified.seriesInstanceUid()).as(sample.getKey()).isEqualTo(i.seriesId());
            assertThat(deidentified.patientId()).as(sample.getKey()).isEqualTo(i.patientId());
            String bytes = new String(Files.readAllBytes(copy), java.nio.charset.StandardCharsets.ISO_8859_1);
            for (DicomObject o : readable.values()) {
                for (String phi : List.of(o.patientName(), o.patientId(), o.accessionNumber(), o.sopInstanceUid(),
                        o.studyInstanceUid(), o.seriesInstanceUid())) {
                    if (phi.length() >= 4) {
                        assertThat(bytes).as(sample.getKey()).doesNotContain(phi);
                    }
                }
            }
        }
        InstanceIngested nm = byId.get(pseudonyms.uid(readable.get("NM-MONO2-16-13x-heart").sopInstanceUid()));
        assertThat(nm.frames()).isEqualTo(13);
        try (InputStream in = Files.newInputStream(storageRoot.resolve(nm.pixelKey()))) {
            PixelArray pixels = PixelArray.readNpy(in);
            assertThat(pixels.frames()).isEqualTo(13);
            assertThat(pixels.rows()).isEqualTo(64);
        }

        given().get("/api/v1/instances").then().statusCode(200).body("size()", greaterThanOrEqualTo(12));
        given().get("/api/v1/instances/" + nm.instanceId()).then().statusCode(200).body("frames", equalTo(13));
        given().get("/api/v1/instances/2.25.1").then().statusCode(404)
                .contentType("application/problem+json").body("status", equalTo(404));
        given().get("/q/health/ready").then().statusCode(200);
    }

    @Test
    void echoIsAnswered() throws Exception {
        Process echo = new ProcessBuilder("echoscu", "-aec", "MEDSSL", "127.0.0.1", String.valueOf(dicomPort))
                .redirectErrorStream(true).start();
        assertThat(echo.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(echo.exitValue()).isZero();
    }

    @Test
    void aModelResultGoesBackToThePacsAsAReIdentifiedSr(@org.junit.jupiter.api.io.TempDir Path pacs) throws Exception {
        Process storescp = new ProcessBuilder("storescp", "-aet", "TESTPACS", "-od", pacs.toString(), "11193")
                .redirectErrorStream(true).redirectOutput(pacs.resolve("storescp.log").toFile()).start();
        try {
            Path ct = SAMPLES.resolve("CT-JPEGLosslessSV1.dcm");
            Process send = new ProcessBuilder("storescu", "-xf", STORESCU_CFG.toString(), "MedSSL", "-aec", "MEDSSL",
                    "127.0.0.1", String.valueOf(dicomPort), ct.toString()).redirectErrorStream(true).start();
            send.getInputStream().readAllBytes();
            assertThat(send.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(send.exitValue()).isZero();
            DicomObject original = DicomReader.read(ct);
            String instanceId = pseudonyms.uid(original.sopInstanceUid());
            var result = new io.medssl.contracts.InferenceResult(1, "chest-model", 7, instanceId,
                    pseudonyms.uid(original.studyInstanceUid()), Map.of("normal", 0.25, "nodule", 0.75), "nodule");
            try (var producer = new org.apache.kafka.clients.producer.KafkaProducer<>(Map.<String, Object>of("bootstrap.servers", bootstrap),
                    new org.apache.kafka.common.serialization.StringSerializer(), new org.apache.kafka.common.serialization.StringSerializer())) {
                producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>(Topics.INFERENCE_RESULTS, "junk", "not json")).get();
                producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>(Topics.INFERENCE_RESULTS, instanceId,
                        EventJson.write(result))).get();
            }
            Path sr = null;
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (sr == null && System.nanoTime() < deadline) {
                try (Stream<Path> files = Files.list(pacs)) {
                    sr = files.filter(p -> p.getFileName().toString().startsWith("SR")).findFirst().orElse(null);
                }
                Thread.sleep(200);
            }
            assertThat(sr).as("an SR arrived at the PACS (storescp log: %s)", Files.readString(pacs.resolve("storescp.log"))).isNotNull();
            Thread.sleep(500); // storescp finishes writing the file
            DicomObject report = DicomReader.read(sr);
            // Re-identified: filed in the original study, for the original patient, referencing the original image.
            assertThat(report.studyInstanceUid()).isEqualTo(original.studyInstanceUid());
            assertThat(report.patientId()).isEqualTo(original.patientId());
            assertThat(report.patientName()).isEqualTo(original.patientName());
            assertThat(report.sopClassUid()).isEqualTo("1.2.840.10008.5.1.4.1.1.88.33");
            Process dump = new ProcessBuilder("dsrdump", sr.toString()).redirectErrorStream(true).start();
            String tree = new String(dump.getInputStream().readAllBytes());
            assertThat(tree).contains("nodule").contains("chest-model").contains("Probability of normal");
            Process refs = new ProcessBuilder("dcmdump", "+P", "0008,1155", sr.toString()).redirectErrorStream(true).start();
            assertThat(new String(refs.getInputStream().readAllBytes())).contains(original.sopInstanceUid());
        } finally {
            storescp.destroy();
            storescp.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private List<String> consume(int expected) {
        Map<String, Object> config = Map.of("bootstrap.servers", bootstrap, "group.id", "ingest-test-" + System.nanoTime(),
                "auto.offset.reset", "earliest");
        Map<String, String> byKey = new HashMap<>();
        try (var consumer = new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(Topics.INSTANCES));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (byKey.size() < expected && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(500)).forEach(r -> byKey.put(r.key(), r.value()));
            }
        }
        return new ArrayList<>(byKey.values());
    }
}
