package io.medssl.ingest.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.medssl.contracts.InstanceIngested;
import io.medssl.dicom.DeidentificationException;
import io.medssl.dicom.Deidentifier;
import io.medssl.dicom.DicomObject;
import io.medssl.dicom.DicomReader;
import io.medssl.dicom.IncomingObject;
import io.medssl.dicom.InvalidDicomException;
import io.medssl.dicom.PixelDecoder;
import io.medssl.dicom.UndecodableImageException;
import io.medssl.imaging.PixelArray;
import io.medssl.ingest.config.IngestConfig;
import io.medssl.ingest.deid.Pseudonymizer;
import io.medssl.ingest.messaging.OutboxRelay;
import io.medssl.storage.BlobStore;
import io.medssl.storage.Journal;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * What happens to each received object, in two steps. Accept: validate, pseudonymise, keep the
 * object durably (inside ingest's own area, the only place PHI lives: the DICOM node's accept
 * journal, processed from there in batches; STOW-RS stores the original and a {@code received}
 * row at once) — the sender's Success comes here. Process: store the original, decode the
 * pixels to the normalised array, write the PS3.15 de-identified copy, index, announce. Logs
 * name instances by pseudonym only.
 */
@ApplicationScoped
public class IngestService {
    private static final Logger LOG = Logger.getLogger(IngestService.class);

    /**
     * Outcome for the caller (the DICOM node or a REST endpoint): {@code instanceId} is the
     * accepted instance's pseudonym, {@code instance} its event once processed. The original SOP
     * class and instance UIDs are for the caller's answer only (STOW-RS names what it stored by
     * them); they are null when the object could not be read.
     */
    public record Outcome(boolean stored, String instanceId, InstanceIngested instance, String error, Failure failure,
                          String sopClassUid, String sopInstanceUid, Journal.Entry journaled) {
        static Outcome rejected(Failure failure, String error, DicomObject object) {
            return new Outcome(false, null, null, error, failure, object == null ? null : object.sopClassUid(),
                    object == null ? null : object.sopInstanceUid(), null);
        }

        static Outcome accepted(String instanceId, DicomObject object, Journal.Entry journaled) {
            return new Outcome(true, instanceId, null, null, null, object.sopClassUid(), object.sopInstanceUid(), journaled);
        }

        /** Journaled (and processed later) but not indexed: the sender hears 0xA700 and sends it again. */
        static Outcome notIndexed(String instanceId, String error, DicomObject object, Journal.Entry journaled) {
            return new Outcome(false, instanceId, null, error, Failure.OUT_OF_RESOURCES, object.sopClassUid(),
                    object.sopInstanceUid(), journaled);
        }

        Outcome withInstance(InstanceIngested event) {
            return new Outcome(stored, instanceId, event, error, failure, sopClassUid, sopInstanceUid, journaled);
        }
    }

    /**
     * What the accept journal records about an object besides its bytes (no PHI: a pseudonym, the
     * dataset, an AE title, when it was accepted — null in entries journaled before it was kept).
     */
    record JournaledObject(String instanceId, String dataset, String callingAe, Instant receivedAt) {
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
    private final Journal journal;
    private final ObjectMapper json;
    private final Pseudonymizer pseudonyms;
    private final InstanceIndex index;
    private final OutboxRelay relay;
    private final IngestConfig config;
    private final InstanceClaims claims;

    public IngestService(BlobStore store, Journal journal, ObjectMapper json, Pseudonymizer pseudonyms, InstanceIndex index,
                         OutboxRelay relay, IngestConfig config, InstanceClaims claims) {
        this.claims = claims;
        this.store = store;
        this.journal = journal;
        this.json = json;
        this.pseudonyms = pseudonyms;
        this.index = index;
        this.relay = relay;
        this.config = config;
    }

    /**
     * Accepts and processes {@code file} before returning (STOW-RS, tools): the outcome carries
     * the announced event. Takes ownership of {@code file}: it is moved into storage or deleted.
     */
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
     * As {@link #ingest(Path, String, String)}, filing the instance under {@code dataset}. Should
     * processing fail after the object was accepted (e.g. the disk filled up while writing the
     * array), the object stays accepted and the background processor retries it.
     */
    public Outcome ingest(Path file, String callingAeTitle, String expectedStudy, String dataset) {
        Outcome accepted = accept(file, callingAeTitle, expectedStudy, dataset);
        if (!accepted.stored() || accepted.instanceId() == null) {
            return accepted;
        }
        try {
            Optional<Processed> processed = process(accepted.instanceId());
            if (processed.isPresent()) {
                processed.get().announcement().ifPresent(id -> announceNow(id, processed.get().event()));
                return accepted.withInstance(processed.get().event());
            }
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            LOG.warnf("processing of %s deferred to the background processor: %s", accepted.instanceId(),
                    e.getClass().getSimpleName());
        }
        return accepted;
    }

    /**
     * Validates the object's header, keeps the original durably (fsync'ed, inside ingest's PHI
     * area) and commits a {@code received} row, which is what makes it accepted (its pseudonym
     * map is recomputable from the original and is written when processed); decoding, the
     * de-identified copy, indexing and the announcement follow in {@link #process(String)}. The
     * outcome names the instance pseudonym ({@code instance} is null). Quarantined objects are
     * accepted with a null instance pseudonym: nothing follows.
     */
    public Outcome accept(Path file, String callingAeTitle, String expectedStudy, String dataset) {
        return accept(file, null, callingAeTitle, expectedStudy, dataset, false);
    }

    /**
     * The DICOM node's step: as {@link #accept(Path, String, String, String)}, but the object is
     * made durable by appending it to the accept journal (one {@code fdatasync} of a prepared
     * segment) instead of storing it and committing a {@code received} row, and then indexed from
     * its header ({@link InstanceIndex#indexAccepted}: searches find it before the sender hears
     * Success). The outcome's {@code journaled} entry is what the background processing takes
     * ({@link #prepareJournaled}, {@link #commit}, {@link #checkpoint}) — also when indexing
     * failed and the outcome is a failure. {@code header} is the header the association layer
     * already read (null: read it here).
     */
    public Outcome acceptJournaled(IncomingObject received, DicomObject header, String callingAeTitle, String dataset) {
        return accept(new ReceivedArrival(received), header, callingAeTitle, null, dataset, true);
    }

    /** As {@link #acceptJournaled(IncomingObject, DicomObject, String, String)}, for an object in a file (deleted once journaled). */
    public Outcome acceptJournaled(Path file, DicomObject header, String callingAeTitle, String dataset) {
        return accept(new FileArrival(file), header, callingAeTitle, null, dataset, true);
    }

    /** An object being accepted: a file (STOW-RS, tools), or what the DICOM node received (in memory or a file). */
    private interface Arrival {
        /** Identifiers and flags only: the pixels are read (and checked) when processing. */
        DicomObject readHeader() throws InvalidDicomException;

        /** As a file, to move into storage. */
        Path file() throws IOException;

        Journal.Entry appendTo(Journal journal, byte[] meta) throws IOException;

        /** Drops what is left of it (after it was kept, or refused). */
        void discard();

        /** Reader messages can quote a file's path, which says nothing to the sender. */
        String scrub(String message);
    }

    private record FileArrival(Path file) implements Arrival {
        @Override
        public DicomObject readHeader() throws InvalidDicomException {
            return DicomReader.readHeader(file);
        }

        @Override
        public Journal.Entry appendTo(Journal journal, byte[] meta) throws IOException {
            return journal.append(meta, file);
        }

        @Override
        public void discard() {
            deleteQuietly(file);
        }

        @Override
        public String scrub(String message) {
            return withoutPath(message, file);
        }
    }

    private record ReceivedArrival(IncomingObject object) implements Arrival {
        @Override
        public DicomObject readHeader() throws InvalidDicomException {
            return DicomReader.readHeader(object::open);
        }

        @Override
        public Path file() throws IOException {
            return object.file();
        }

        @Override
        public Journal.Entry appendTo(Journal journal, byte[] meta) throws IOException {
            return object.inMemory() ? journal.append(meta, object.bytes()) : journal.append(meta, object.file());
        }

        @Override
        public void discard() {
            try {
                object.discard();
            } catch (IOException ignored) {
                // The node deletes what is left after a failure answer.
            }
        }

        @Override
        public String scrub(String message) {
            Path file = object.fileIfAny();
            return file == null ? String.valueOf(message) : withoutPath(message, file);
        }
    }

    private Outcome accept(Path file, DicomObject header, String callingAeTitle, String expectedStudy, String dataset,
                           boolean journaled) {
        return accept(new FileArrival(file), header, callingAeTitle, expectedStudy, dataset, journaled);
    }

    private Outcome accept(Arrival arrival, DicomObject header, String callingAeTitle, String expectedStudy, String dataset,
                           boolean journaled) {
        if (dataset == null || dataset.isBlank()) {
            dataset = config.dataset();
        }
        DicomObject object = header;
        if (object == null) {
            try {
                object = arrival.readHeader();
            } catch (InvalidDicomException e) {
                arrival.discard();
                String reason = arrival.scrub(e.getMessage());
                LOG.warnf("rejected an object from %s: %s", callingAeTitle, reason);
                return Outcome.rejected(Failure.CANNOT_UNDERSTAND, reason, null);
            }
        }
        if (expectedStudy != null && !expectedStudy.equals(object.studyInstanceUid())) {
            arrival.discard();
            LOG.warnf("rejected an object from %s: it belongs to another study than the request named", callingAeTitle);
            return Outcome.rejected(Failure.DATA_SET_DOES_NOT_MATCH, "the object's StudyInstanceUID is not the study of the request",
                    object);
        }
        String instanceId = pseudonyms.uid(object.sopInstanceUid());
        if (object.burnedInAnnotation()) {
            return quarantine(arrival, object, instanceId, callingAeTitle);
        }
        Instant receivedAt = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        Journal.Entry entry = null;
        try {
            if (journaled) {
                entry = arrival.appendTo(journal, json.writeValueAsBytes(new JournaledObject(instanceId, dataset, callingAeTitle,
                        receivedAt)));
                arrival.discard();
            } else {
                store.putFile(InstanceKeys.original(instanceId), arrival.file());
                index.accept(instanceId, dataset, callingAeTitle);
            }
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            // No stack trace: exception texts can quote the incoming file's path, named by the original UID.
            LOG.errorf("could not accept %s: %s", instanceId, e.getClass().getSimpleName());
            arrival.discard();
            return Outcome.rejected(Failure.OUT_OF_RESOURCES, "could not store the object: " + e.getClass().getSimpleName(), object);
        }
        if (journaled) {
            // Indexed before Success, from the header: searches find the object from now on.
            // (Written while the journal append was being synced instead, on another thread, it
            // made no measurable difference on bench sets.)
            try {
                indexAccepted(object, instanceId, dataset, receivedAt);
            } catch (RuntimeException e) {
                // The object is durable in the journal and is processed (and indexed) once the
                // database is back; the sender hears of the failure and sends it again (an
                // identical resend is not announced twice).
                LOG.errorf("could not index %s (journaled; processed later): %s", instanceId, e.getClass().getSimpleName());
                return Outcome.notIndexed(instanceId, "could not index the object: " + e.getClass().getSimpleName(), object, entry);
            }
        }
        LOG.debugf("accepted %s from %s into %s", instanceId, callingAeTitle, dataset);
        return Outcome.accepted(instanceId, object, entry);
    }

    /** Indexes an accepted object from its header: identifiers as pseudonyms, modality, SOP class, geometry. */
    private void indexAccepted(DicomObject header, String instanceId, String dataset, Instant receivedAt) {
        Identifiers ids = identifiers(header);
        index.indexAccepted(new InstanceIngested(InstanceIngested.SCHEMA_VERSION, instanceId, ids.studyId(), ids.seriesId(),
                ids.patientId(), dataset, header.modality(), header.bodyPartExamined(), header.sopClassUid(), header.rows(),
                header.columns(), header.frames(), null, false, null, receivedAt, null), ids.accessionId());
    }

    /** An object's identifiers as pseudonyms (besides its instance's): the index's and the event's. */
    private record Identifiers(String studyId, String seriesId, String patientId, String accessionId) {
    }

    private Identifiers identifiers(DicomObject object) {
        String accession = object.accessionNumber();
        return new Identifiers(pseudonyms.uid(object.studyInstanceUid()), pseudonyms.uid(object.seriesInstanceUid()),
                pseudonyms.patient(object.patientId(), ""), accession.isEmpty() ? null : pseudonyms.accession(accession));
    }

    /** What processing produced: the event, and the outbox id of its announcement unless it is an identical resend. */
    public record Processed(InstanceIngested event, Optional<Long> announcement) {
    }

    /**
     * What processing an object derived before it is recorded: the event, the accession
     * pseudonym (or null) and the pseudonym → original entries.
     */
    record Derived(InstanceIngested event, String accessionId, List<InstanceIndex.Pseudonym> map) {
        InstanceIndex.Recording recording() {
            return new InstanceIndex.Recording(event, accessionId, map);
        }
    }

    /**
     * A journaled object processed up to its commit ({@link #prepareJournaled}), its files
     * durable: what to record — null when the object turned out unreadable (its original is
     * kept, nothing is indexed).
     */
    record Prepared(Journal.Entry entry, Derived derived) {
    }

    /** The instance pseudonym a journal entry is for (batches never hold two entries of one instance). */
    String journaledInstanceId(Journal.Entry entry) throws IOException {
        return json.readValue(entry.meta(), JournaledObject.class).instanceId();
    }

    /**
     * First step for a journaled object (one of a batch; objects of different instances may be
     * prepared in parallel): its original into storage, its pixels decoded to the normalised
     * array, its PS3.15 de-identified copy — each file synced before it is named, so whatever
     * the index or an event names later is on the device; with several workers one's sync
     * overlaps the others' decoding — and its event and pseudonym map derived.
     */
    Prepared prepareJournaled(Journal.Entry entry) throws IOException {
        JournaledObject object = json.readValue(entry.meta(), JournaledObject.class);
        store.put(InstanceKeys.original(object.instanceId()), out -> journal.copyPayload(entry, out), BlobStore.Reading.RARELY);
        Instant receivedAt = object.receivedAt() == null ? Instant.now().truncatedTo(ChronoUnit.MILLIS) : object.receivedAt();
        Optional<Derived> derived = derive(object.instanceId(), object.dataset(), object.callingAe(), receivedAt, entry);
        return new Prepared(entry, derived.orElse(null));
    }

    /**
     * Second step: records a batch of prepared objects in one transaction (index rows,
     * pseudonym map, outbox events). Returns what was processed, in batch order, to announce.
     */
    List<Processed> commit(List<Prepared> batch) {
        List<Derived> derived = batch.stream().map(Prepared::derived).filter(Objects::nonNull).toList();
        List<Optional<Long>> announcements = index.recordAll(derived.stream().map(Derived::recording).toList());
        List<Processed> processed = new ArrayList<>(derived.size());
        for (int i = 0; i < derived.size(); i++) {
            processed.add(processed(derived.get(i), announcements.get(i)));
        }
        return processed;
    }

    /**
     * Last step, for committed batches: their index rows on the device (their files already
     * are), then their journal entries settled (and their segments free to be recycled). Until
     * this returns a crash hands the entries back and they are processed again (an identical
     * resend: rewritten, not announced again).
     */
    void checkpoint(List<List<Prepared>> batches) throws IOException {
        index.makeDurable();
        for (List<Prepared> batch : batches) {
            for (Prepared p : batch) {
                journal.settle(p.entry());
            }
            // A later batch can hold a newer version of an instance of this one: its settled
            // note must not outlive this batch's after a power cut (the older version would then
            // be replayed, and recorded, after the newer one).
            journal.syncSettled();
        }
    }

    /**
     * Takes a journaled object out of batch processing — one that failed on its own (the database
     * refused its row, the decoder threw) must not hold up the objects behind it: its original is
     * stored durably and a {@code received} row committed, so the periodic pass retries it by
     * itself ({@link #process(String)}); its journal entry is then settled by a {@link #checkpoint}
     * ({@link #deferred}). Throws when storage or the database fail (then nothing can proceed).
     */
    void defer(Journal.Entry entry) throws IOException {
        JournaledObject object = json.readValue(entry.meta(), JournaledObject.class);
        store.put(InstanceKeys.original(object.instanceId()), out -> journal.copyPayload(entry, out), BlobStore.Reading.RARELY);
        index.accept(object.instanceId(), object.dataset(), object.callingAe());
    }

    /** A {@link #defer deferred} entry as a checkpoint takes it: nothing to record, only to settle. */
    Prepared deferred(Journal.Entry entry) {
        return new Prepared(entry, null);
    }

    /**
     * Processes an accepted instance (STOW-RS, or a leftover {@code received} row): decodes its
     * pixels to the normalised array, writes the PS3.15 de-identified copy, and commits index row
     * + outbox event while removing its {@code received} row. Empty when there is nothing (left)
     * to process. Throws when storage or the database fail; the instance then stays accepted and
     * is retried. Waits while the instance is being processed elsewhere ({@link InstanceClaims}).
     */
    public Optional<Processed> process(String instanceId) throws Exception {
        claims.claim(instanceId);
        try {
            return processClaimed(instanceId);
        } finally {
            claims.release(instanceId);
        }
    }

    private Optional<Processed> processClaimed(String instanceId) throws Exception {
        Optional<InstanceIndex.Received> pending = index.received(instanceId);
        if (pending.isEmpty()) {
            return Optional.empty();
        }
        InstanceIndex.Received received = pending.get();
        Optional<Derived> derived = derive(instanceId, received.dataset(), received.callingAe(), received.receivedAt(), null);
        if (derived.isEmpty()) {
            index.forget(received);
            return Optional.empty();
        }
        Derived d = derived.get();
        return Optional.of(processed(d, index.record(d.event(), d.accessionId(), d.map(), received)));
    }

    private static Processed processed(Derived derived, Optional<Long> announcement) {
        if (announcement.isEmpty()) {
            LOG.infof("%s was ingested before with the same content: stored again, not announced again",
                    derived.event().instanceId());
        }
        return new Processed(derived.event(), announcement);
    }

    /**
     * Reads the original, decodes its pixels to the normalised array and writes the PS3.15
     * de-identified copy; derives its event and pseudonym map. Empty when the original can no
     * longer be read (it is kept, and the error logged). With a {@code journaled} entry the
     * original is read from the journal (where it still is, likely in the page cache: the stored
     * copy was written past the cache); without, from storage. Each file is synced before it is
     * named.
     */
    private Optional<Derived> derive(String instanceId, String dataset, String callingAe, Instant receivedAt,
                                     Journal.Entry journaled) throws IOException {
        Path original = store.localPath(journaled == null ? InstanceKeys.storedOriginal(store, instanceId)
                : InstanceKeys.original(instanceId));
        DicomObject object;
        try {
            object = journaled == null ? DicomReader.read(original) : DicomReader.read(() -> journal.openPayload(journaled));
        } catch (InvalidDicomException e) {
            // Read fine when accepted: the stored file changed under us. Keep it, drop the work.
            LOG.errorf("accepted object %s can no longer be read; left in ingest/originals: %s", instanceId,
                    withoutPath(e.getMessage(), original));
            // Nothing follows for it: searches must not go on finding it as accepted.
            index.forgetAccepted(instanceId);
            return Optional.empty();
        }
        String pixelKey = null;
        String undecodable = null;
        int frames = object.frames();
        try {
            PixelArray pixels = PixelDecoder.decode(object, defaultWindow(object.modality()));
            frames = pixels.frames();
            pixelKey = InstanceKeys.pixels(instanceId);
            store.put(pixelKey, pixels::writeNpy, BlobStore.Reading.SOON);
        } catch (UndecodableImageException e) {
            undecodable = withoutIdentifiers(withoutPath(e.getMessage(), original), object, instanceId);
        }
        // Everything read from the object's identifiers comes first: writing the de-identified
        // copy replaces them in the object.
        Identifiers ids = identifiers(object);
        List<InstanceIndex.Pseudonym> map = new ArrayList<>(List.of(
                new InstanceIndex.Pseudonym(instanceId, "instance", object.sopInstanceUid()),
                new InstanceIndex.Pseudonym(ids.studyId(), "study", object.studyInstanceUid()),
                new InstanceIndex.Pseudonym(ids.seriesId(), "series", object.seriesInstanceUid()),
                new InstanceIndex.Pseudonym(ids.patientId(), "patient", object.patientId())));
        if (ids.accessionId() != null) {
            map.add(new InstanceIndex.Pseudonym(ids.accessionId(), "accession", object.accessionNumber()));
        }
        InstanceIngested event = new InstanceIngested(
                InstanceIngested.SCHEMA_VERSION,
                instanceId,
                ids.studyId(),
                ids.seriesId(),
                ids.patientId(),
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
                receivedAt,
                // Last: it de-identifies the object in place (arguments are evaluated in order).
                writeDeidentifiedCopy(object, instanceId, ids.patientId()));
        LOG.debugf("processed %s %s %dx%dx%d from %s into %s%s", event.modality(), instanceId, event.rows(), event.columns(),
                frames, callingAe, dataset, pixelKey == null ? " (not decodable: " + undecodable + ")" : "");
        return Optional.of(new Derived(event, ids.accessionId(), map));
    }

    /**
     * The PS3.15 copy downstream may read (outside ingest's PHI area); null when the object could
     * not be written de-identified (the instance is still processed: pixels and index are
     * de-identified on their own). Throws when storage fails: then the instance is processed
     * again later rather than recorded without its copy.
     */
    private String writeDeidentifiedCopy(DicomObject object, String instanceId, String patientId) throws IOException {
        IngestConfig.Deid options = config.deid();
        String key = InstanceKeys.deidentified(instanceId);
        try {
            store.put(key, target -> Deidentifier.writeDeidentified(object,
                    new Deidentifier.Options(options.retainModifiedDates(), options.retainPatientCharacteristics(),
                            options.retainDeviceIdentity(), options.retainInstitutionIdentity(), options.retainDescriptors()),
                    new Deidentifier.Pseudonyms(pseudonyms::uid, patientId, pseudonyms.dateShiftDays(patientId)), target),
                    // No service here reads it (they take the array): it is for export and review.
                    BlobStore.Reading.RARELY);
            return key;
        } catch (DeidentificationException e) {
            LOG.warnf("no de-identified copy of %s: %s", instanceId, e.getCause().getClass().getSimpleName());
            return null;
        }
    }

    private void announceNow(long announcement, InstanceIngested event) {
        try {
            relay.send(announcement);
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            // Indexed with its event in the outbox: the relay sends it once the broker is back.
            LOG.warnf("announcement of %s deferred to the outbox relay: %s", event.instanceId(), e.getClass().getSimpleName());
        }
    }

    /**
     * BurnedInAnnotation = YES: the pixels may show identifying text, so the object is kept
     * (durably, inside ingest's PHI area) but neither decoded, indexed nor announced — nothing of it
     * leaves ingest until someone has looked at it.
     */
    private Outcome quarantine(Arrival arrival, DicomObject object, String instanceId, String callingAeTitle) {
        try {
            store.putFile(InstanceKeys.quarantined(instanceId), arrival.file());
            LOG.warnf("quarantined %s from %s: BurnedInAnnotation=YES (kept in ingest/quarantine, not passed on)", instanceId,
                    callingAeTitle);
            return new Outcome(true, null, null, null, null, object.sopClassUid(), object.sopInstanceUid(), null);
        } catch (Exception e) {
            LOG.errorf("could not quarantine %s: %s", instanceId, e.getClass().getSimpleName());
            arrival.discard();
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
