package io.medssl.ingest.service;

import io.medssl.contracts.InstanceIngested;
import io.medssl.dicom.DicomObject;
import io.medssl.dicom.DicomReader;
import io.medssl.dicom.InvalidDicomException;
import io.medssl.dicom.PixelDecoder;
import io.medssl.dicom.UndecodableImageException;
import io.medssl.imaging.PixelArray;
import io.medssl.ingest.config.IngestConfig;
import io.medssl.ingest.deid.Pseudonymizer;
import io.medssl.ingest.messaging.OutboxRelay;
import io.medssl.storage.BlobStore;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * What happens to each received object: validate, pseudonymise, keep the original durably (inside
 * ingest's own area, the only place PHI lives), decode the pixels to the normalised array, index,
 * announce. Logs name instances by pseudonym only.
 */
@ApplicationScoped
public class IngestService {
    private static final Logger LOG = Logger.getLogger(IngestService.class);

    /**
     * Outcome for the caller (the DICOM node or a REST endpoint). The original SOP class and
     * instance UIDs are for the caller's answer only (STOW-RS names what it stored by them); they
     * are null when the object could not be read.
     */
    public record Outcome(boolean stored, InstanceIngested instance, String error, Failure failure, String sopClassUid,
                          String sopInstanceUid) {
        static Outcome rejected(Failure failure, String error, DicomObject object) {
            return new Outcome(false, null, error, failure, object == null ? null : object.sopClassUid(),
                    object == null ? null : object.sopInstanceUid());
        }
    }

    /** Why an object was refused, in the terms of DICOM's failure statuses (PS3.4 B.2.3, PS3.18 10.5). */
    public enum Failure {
        /** 0xA700: storage or the broker failed. */
        OUT_OF_RESOURCES(0xA700),
        /** 0xA900: e.g. the object belongs to another study than the one the request named. */
        DATA_SET_DOES_NOT_MATCH(0xA900),
        /** 0xC000: not a DICOM object we can read. */
        CANNOT_UNDERSTAND(0xC000);

        private final int code;

        Failure(int code) {
            this.code = code;
        }

        public int code() {
            return code;
        }
    }

    private final BlobStore store;
    private final Pseudonymizer pseudonyms;
    private final InstanceIndex index;
    private final OutboxRelay relay;
    private final IngestConfig config;

    public IngestService(BlobStore store, Pseudonymizer pseudonyms, InstanceIndex index,
                         OutboxRelay relay, IngestConfig config) {
        this.store = store;
        this.pseudonyms = pseudonyms;
        this.index = index;
        this.relay = relay;
        this.config = config;
    }

    /** Takes ownership of {@code file}: it is moved into storage or deleted. */
    public Outcome ingest(Path file, String callingAeTitle) {
        return ingest(file, callingAeTitle, null);
    }

    /**
     * As {@link #ingest(Path, String)}, refusing (without storing) an object whose original
     * StudyInstanceUID is not {@code expectedStudy} when one is given (STOW-RS to a study).
     */
    public Outcome ingest(Path file, String callingAeTitle, String expectedStudy) {
        return ingest(file, callingAeTitle, expectedStudy, config.dataset());
    }

    /**
     * As {@link #ingest(Path, String, String)}, filing the instance under {@code dataset} instead of
     * the default {@code medssl.dataset} (the DICOM node maps AE titles to datasets).
     */
    public Outcome ingest(Path file, String callingAeTitle, String expectedStudy, String dataset) {
        if (dataset == null || dataset.isBlank()) {
            dataset = config.dataset();
        }
        DicomObject object;
        try {
            object = DicomReader.read(file);
        } catch (InvalidDicomException e) {
            deleteQuietly(file);
            String reason = withoutPath(e.getMessage(), file);
            LOG.warnf("rejected an object from %s: %s", callingAeTitle, reason);
            return Outcome.rejected(Failure.CANNOT_UNDERSTAND, reason, null);
        }
        if (expectedStudy != null && !expectedStudy.equals(object.studyInstanceUid())) {
            deleteQuietly(file);
            LOG.warnf("rejected an object from %s: it belongs to another study than the request named", callingAeTitle);
            return Outcome.rejected(Failure.DATA_SET_DOES_NOT_MATCH, "the object's StudyInstanceUID is not the study of the request",
                    object);
        }
        String instanceId = pseudonyms.uid(object.sopInstanceUid());
        if (object.burnedInAnnotation()) {
            return quarantine(file, object, instanceId, callingAeTitle);
        }
        try {
            store.putFile("ingest/originals/" + instanceId + ".dcm", file);

            String pixelKey = null;
            String undecodable = null;
            int frames = object.frames();
            try {
                PixelArray pixels = PixelDecoder.decode(object, defaultWindow(object.modality()));
                frames = pixels.frames();
                pixelKey = "pixels/" + instanceId + ".npy";
                store.put(pixelKey, pixels::writeNpy);
            } catch (UndecodableImageException e) {
                undecodable = withoutIdentifiers(withoutPath(e.getMessage(), file), object, instanceId);
            }
            InstanceIngested event = new InstanceIngested(
                    InstanceIngested.SCHEMA_VERSION,
                    instanceId,
                    pseudonyms.uid(object.studyInstanceUid()),
                    pseudonyms.uid(object.seriesInstanceUid()),
                    pseudonyms.patient(object.patientId(), ""),
                    dataset,
                    object.modality(),
                    object.bodyPartExamined(),
                    object.sopClassUid(),
                    object.rows(),
                    object.columns(),
                    frames,
                    pixelKey,
                    pixelKey != null,
                    undecodable,
                    Instant.now());
            String accession = object.accessionNumber();
            String accessionId = accession.isEmpty() ? null : pseudonyms.accession(accession);
            List<InstanceIndex.Pseudonym> map = new ArrayList<>(List.of(
                    new InstanceIndex.Pseudonym(instanceId, "instance", object.sopInstanceUid()),
                    new InstanceIndex.Pseudonym(event.studyId(), "study", object.studyInstanceUid()),
                    new InstanceIndex.Pseudonym(event.seriesId(), "series", object.seriesInstanceUid()),
                    new InstanceIndex.Pseudonym(event.patientId(), "patient", object.patientId())));
            if (accessionId != null) {
                map.add(new InstanceIndex.Pseudonym(accessionId, "accession", accession));
            }
            Optional<Long> announcement = index.record(event, accessionId, map);
            if (announcement.isEmpty()) {
                LOG.infof("%s was ingested before with the same content: stored again, not announced again", instanceId);
            } else {
                try {
                    relay.send(announcement.get());
                } catch (Exception e) {
                    if (e instanceof InterruptedException) {
                        Thread.currentThread().interrupt();
                    }
                    // Stored and indexed with its event in the outbox: the relay sends it once the broker is back.
                    LOG.warnf("announcement of %s deferred to the outbox relay: %s", instanceId, e.getClass().getSimpleName());
                }
            }
            LOG.infof("ingested %s %s %dx%dx%d from %s into %s%s", event.modality(), instanceId, event.rows(), event.columns(),
                    frames, callingAeTitle, dataset, pixelKey == null ? " (not decodable: " + undecodable + ")" : "");
            return new Outcome(true, event, null, null, object.sopClassUid(), object.sopInstanceUid());
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            // No stack trace: exception texts can quote the incoming file's path, named by the original UID.
            LOG.errorf("could not ingest %s: %s", instanceId, e.getClass().getSimpleName());
            deleteQuietly(file);
            return Outcome.rejected(Failure.OUT_OF_RESOURCES, "could not store the object: " + e.getClass().getSimpleName(), object);
        }
    }

    /**
     * BurnedInAnnotation = YES: the pixels may show identifying text, so the object is kept
     * (durably, inside ingest's PHI area) but neither decoded, indexed nor announced — nothing of it
     * leaves ingest until someone has looked at it.
     */
    private Outcome quarantine(Path file, DicomObject object, String instanceId, String callingAeTitle) {
        try {
            store.putFile("ingest/quarantine/" + instanceId + ".dcm", file);
            LOG.warnf("quarantined %s from %s: BurnedInAnnotation=YES (kept in ingest/quarantine, not passed on)", instanceId,
                    callingAeTitle);
            return new Outcome(true, null, null, null, object.sopClassUid(), object.sopInstanceUid());
        } catch (Exception e) {
            LOG.errorf("could not quarantine %s: %s", instanceId, e.getClass().getSimpleName());
            deleteQuietly(file);
            return Outcome.rejected(Failure.OUT_OF_RESOURCES, "could not store the object: " + e.getClass().getSimpleName(), object);
        }
    }

    private PixelDecoder.Window defaultWindow(String modality) {
        String value = config.voiDefaults().get(modality);
        if (value == null) {
            return null;
        }
        String[] parts = value.split(",");
        try {
            return new PixelDecoder.Window(Double.parseDouble(parts[0].trim()), Double.parseDouble(parts[1].trim()));
        } catch (RuntimeException e) {
            throw new IllegalStateException("medssl.voi-defaults." + modality + " must be 'center,width', not '" + value + "'");
        }
    }

    /** Decoder messages can quote the original UIDs (via file names); swap them for the pseudonym. */
    private static String withoutIdentifiers(String message, DicomObject object, String instanceId) {
        return message.replace(object.sopInstanceUid(), instanceId)
                .replace(object.studyInstanceUid(), "<study>")
                .replace(object.seriesInstanceUid(), "<series>");
    }

    /** Reader messages quote the file's path, which says nothing to the sender: keep it out of messages. */
    private static String withoutPath(String message, Path file) {
        String m = message == null ? "" : message;
        return m.replace(file.toString(), "<incoming file>").replace(file.getFileName().toString(), "<incoming file>");
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (Exception ignored) {
            // Nothing more to do: the incoming folder is scratch space.
        }
    }
}
