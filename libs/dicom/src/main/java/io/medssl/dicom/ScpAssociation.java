package io.medssl.dicom;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.DicomInputStream;
import com.pixelmed.dicom.DicomOutputStream;
import com.pixelmed.dicom.FileMetaInformation;
import com.pixelmed.dicom.LongStringAttribute;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.TransferSyntax;
import com.pixelmed.dicom.UniqueIdentifierAttribute;
import com.pixelmed.dicom.UnsignedLongAttribute;
import com.pixelmed.dicom.UnsignedShortAttribute;
import com.pixelmed.network.PresentationContext;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One association on the storage node, from A-ASSOCIATE-RQ to release or abort: the acceptor side
 * of the PS3.8 state machine, for C-ECHO and C-STORE only. Our own rather than PixelMed's
 * StorageSOPClassSCP, which always answers Success (and nothing at all if the handler throws), has
 * no hook for the calling AE title and names files by SOP Instance UID. Here the C-STORE response
 * carries what the handler answered, with an Error Comment, and no partial file outlives an
 * aborted or failed transfer. PixelMed still parses and writes the DIMSE command sets and the
 * Part 10 meta header.
 */
final class ScpAssociation {
    private static final Logger LOG = LoggerFactory.getLogger(StorageScp.class);

    /** An A-ASSOCIATE-RQ with the 128 contexts dcmtk allows is a few KiB. */
    static final int MAX_REQUEST_PDU = 1 << 20;
    /** We offer 128 KiB (Acse.OUR_MAX_PDU); tolerate peers that overshoot, refuse what would only eat memory. */
    static final int MAX_DATA_PDU = 4 << 20;
    /** How long we wait for the peer to close after A-RELEASE-RP or A-ASSOCIATE-RJ (ARTIM). */
    static final int ARTIM_MILLIS = 5_000;

    private static final int PDU_ASSOCIATE_RQ = 0x01;
    private static final int PDU_P_DATA = 0x04;
    private static final int PDU_RELEASE_RQ = 0x05;
    private static final int PDU_ABORT = 0x07;

    private static final int C_STORE_RQ = 0x0001;
    private static final int C_STORE_RSP = 0x8001;
    private static final int C_ECHO_RQ = 0x0030;
    private static final int C_ECHO_RSP = 0x8030;
    private static final int C_CANCEL_RQ = 0x0FFF;
    private static final int NO_DATA_SET = 0x0101;
    /** Bytes of the (0000,0000) element in implicit VR little endian. */
    private static final int GROUP_LENGTH_ELEMENT = 12;

    /** Why the association is refused, as A-ASSOCIATE-RJ result, source and reason (PS3.8 9.3.4). */
    record Rejection(int result, int source, int reason, String description) {
    }

    /** Thrown for a peer that breaks the protocol; the association is aborted. */
    private static final class ProtocolViolation extends IOException {
        final int abortReason;

        ProtocolViolation(String message, int abortReason) {
            super(message);
            this.abortReason = abortReason;
        }
    }

    /** A C-STORE whose data set is still arriving. */
    private static final class PendingStore {
        byte contextId;
        int messageId;
        String sopClassUid;
        String sopInstanceUid;
        String transferSyntaxUid;
        /** Null once writing failed (the rest of the data set is then drained). */
        IncomingObject object;
        /** Set when the object could not be kept: the rest of the data set is drained, then refused with this. */
        StoreResult failure;
    }

    private final StorageScp scp;
    private final Socket socket;
    private final String peer;
    private InputStream in;
    private OutputStream out;
    private Acse.Request request;
    private final Map<Byte, PresentationContext> accepted = new HashMap<>();
    private final ByteArrayOutputStream command = new ByteArrayOutputStream();
    /** The memory of the last object received, reused for the next one. */
    private byte[] spareBuffer;
    private byte commandContextId;
    private PendingStore pending;
    private int stored;
    private int failed;

    ScpAssociation(StorageScp scp, Socket socket) {
        this.scp = scp;
        this.socket = socket;
        this.peer = socket.getInetAddress() == null ? "?" : socket.getInetAddress().getHostAddress() + ":" + socket.getPort();
    }

    /** Negotiates and serves the association; returns when it is over and the socket is closed. */
    void serve() {
        try {
            open(scp.idleTimeoutMillis());
            byte[] pdu = readPdu(MAX_REQUEST_PDU);
            if (pdu == null || type(pdu) == PDU_ABORT) {
                return; // a port probe, or a peer that gave up
            }
            if (type(pdu) != PDU_ASSOCIATE_RQ) {
                throw new ProtocolViolation("expected A-ASSOCIATE-RQ, got PDU type " + type(pdu), Acse.ABORT_REASON_UNEXPECTED_PDU);
            }
            request = parse(pdu);
            Rejection rejection = Acse.APPLICATION_CONTEXT.equals(request.applicationContext())
                    ? scp.admit(request.callingAeTitle(), request.calledAeTitle())
                    : new Rejection(Acse.REJECTED_PERMANENT, Acse.SOURCE_SERVICE_USER, Acse.REASON_APPLICATION_CONTEXT_NOT_SUPPORTED,
                            "application context " + request.applicationContext() + " not supported");
            if (rejection != null) {
                LOG.warn("DICOM association from {} (calling AE '{}', called AE '{}') rejected: {}", peer,
                        request.callingAeTitle(), request.calledAeTitle(), rejection.description());
                reject(rejection);
                return;
            }
            new StorePresentationContextPolicy().applyPresentationContextSelectionPolicy(request.presentationContexts(), 0);
            for (PresentationContext pc : Acse.accepted(request)) {
                accepted.put(pc.getIdentifier(), pc);
            }
            write(Acse.accept(request));
            LOG.debug("DICOM association from {} ({} -> {}) accepted, {} of {} presentation contexts", peer,
                    request.callingAeTitle(), request.calledAeTitle(), accepted.size(), request.presentationContexts().size());
            transfer();
        } catch (SocketTimeoutException e) {
            LOG.warn("DICOM association from {} ({}) idle for {} ms: aborted", peer, callingAe(), scp.idleTimeoutMillis());
            abortQuietly(Acse.ABORT_REASON_NOT_SPECIFIED);
        } catch (ProtocolViolation e) {
            LOG.warn("DICOM association from {} ({}) aborted: {}", peer, callingAe(), e.getMessage());
            abortQuietly(e.abortReason);
        } catch (IOException e) {
            if (!scp.isClosed()) {
                LOG.info("DICOM association from {} ({}) ended without release: {}", peer, callingAe(), e.toString());
            }
        } catch (Throwable e) {
            LOG.error("DICOM association from {} ({}) failed", peer, callingAe(), e);
            abortQuietly(Acse.ABORT_REASON_NOT_SPECIFIED);
        } finally {
            discardPending();
            closeQuietly();
            if (stored + failed > 0) {
                LOG.info("DICOM association from {} ({}) over: {} stored, {} refused", peer, callingAe(), stored, failed);
            }
        }
    }

    /**
     * Reads the A-ASSOCIATE-RQ and answers A-ASSOCIATE-RJ (used when every association slot is
     * taken: the sender sees a transient rejection and retries later).
     */
    void refuse(Rejection rejection, int timeoutMillis) {
        try {
            open(timeoutMillis);
            byte[] pdu = readPdu(MAX_REQUEST_PDU);
            if (pdu != null && type(pdu) == PDU_ASSOCIATE_RQ) {
                request = parse(pdu);
                LOG.warn("DICOM association from {} (calling AE '{}') rejected: {}", peer, request.callingAeTitle(),
                        rejection.description());
                reject(rejection);
            }
        } catch (Throwable e) {
            LOG.debug("DICOM connection from {} dropped while refusing it: {}", peer, e.toString());
        } finally {
            closeQuietly();
        }
    }

    private static Acse.Request parse(byte[] pdu) throws ProtocolViolation {
        try {
            return Acse.parseRequest(pdu);
        } catch (Acse.MalformedPdu e) {
            throw new ProtocolViolation(e.getMessage(), Acse.ABORT_REASON_INVALID_PARAMETER);
        }
    }

    private void open(int timeoutMillis) throws IOException {
        socket.setTcpNoDelay(true);
        socket.setSoTimeout(timeoutMillis);
        in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
        out = socket.getOutputStream();
    }

    private void reject(Rejection rejection) throws IOException {
        write(Acse.reject(rejection.result(), rejection.source(), rejection.reason()));
        awaitPeerClose();
    }

    /** State 6: P-DATA until the peer releases or aborts. */
    private void transfer() throws Exception {
        while (true) {
            byte[] pdu = readPdu(MAX_DATA_PDU);
            if (pdu == null) {
                throw new EOFException("connection closed by the peer");
            }
            switch (type(pdu)) {
                case PDU_P_DATA -> onPData(pdu);
                case PDU_RELEASE_RQ -> {
                    if (pending != null) {
                        LOG.warn("DICOM association from {} ({}) released in the middle of a C-STORE", peer, callingAe());
                    }
                    write(Acse.releaseResponse());
                    awaitPeerClose();
                    return;
                }
                case PDU_ABORT -> {
                    LOG.info("DICOM association from {} ({}) aborted by the peer", peer, callingAe());
                    return;
                }
                default -> throw new ProtocolViolation("unexpected PDU type " + type(pdu), Acse.ABORT_REASON_UNEXPECTED_PDU);
            }
        }
    }

    /** Walks the PDV items of one P-DATA-TF PDU (PS3.8 9.3.5.1). */
    private void onPData(byte[] pdu) throws Exception {
        int pos = 6;
        int end = pdu.length;
        while (pos < end) {
            if (end - pos < 6) {
                throw new ProtocolViolation("truncated PDV item", Acse.ABORT_REASON_INVALID_PARAMETER);
            }
            long itemLength = readInt(pdu, pos);
            if (itemLength < 2 || itemLength > end - pos - 4) {
                throw new ProtocolViolation("bad PDV item length " + itemLength, Acse.ABORT_REASON_INVALID_PARAMETER);
            }
            byte contextId = pdu[pos + 4];
            int header = pdu[pos + 5];
            int valueStart = pos + 6;
            int valueLength = (int) itemLength - 2;
            boolean isCommand = (header & 0x01) != 0;
            boolean isLast = (header & 0x02) != 0;
            if (!accepted.containsKey(contextId)) {
                throw new ProtocolViolation("PDV on presentation context " + (contextId & 0xff) + " that was not accepted",
                        Acse.ABORT_REASON_INVALID_PARAMETER);
            }
            if (isCommand) {
                if (pending != null) {
                    throw new ProtocolViolation("command fragment while a data set was arriving", Acse.ABORT_REASON_UNEXPECTED_PDU);
                }
                if (command.size() > 0 && contextId != commandContextId) {
                    throw new ProtocolViolation("command fragments on different presentation contexts",
                            Acse.ABORT_REASON_INVALID_PARAMETER);
                }
                commandContextId = contextId;
                command.write(pdu, valueStart, valueLength);
                if (command.size() > 64 * 1024) {
                    throw new ProtocolViolation("command set larger than 64 KiB", Acse.ABORT_REASON_INVALID_PARAMETER);
                }
                if (isLast) {
                    byte[] bytes = command.toByteArray();
                    command.reset();
                    onCommand(contextId, bytes);
                }
            } else {
                if (pending == null || contextId != pending.contextId) {
                    throw new ProtocolViolation("data fragment without a C-STORE request on its presentation context",
                            Acse.ABORT_REASON_UNEXPECTED_PDU);
                }
                writeData(pdu, valueStart, valueLength);
                if (isLast) {
                    completeStore();
                }
            }
            pos = valueStart + valueLength;
        }
    }

    private void onCommand(byte contextId, byte[] bytes) throws Exception {
        AttributeList list = new AttributeList();
        try {
            list.read(new DicomInputStream(new ByteArrayInputStream(bytes), TransferSyntax.ImplicitVRLittleEndian, false));
        } catch (Exception e) {
            throw new ProtocolViolation("unreadable command set: " + e, Acse.ABORT_REASON_INVALID_PARAMETER);
        }
        int field = Attribute.getSingleIntegerValueOrDefault(list, TagFromName.CommandField, -1);
        int messageId = Attribute.getSingleIntegerValueOrDefault(list, TagFromName.MessageID, 0);
        String sopClass = uid(list, TagFromName.AffectedSOPClassUID);
        switch (field) {
            case C_ECHO_RQ -> send(contextId, response(C_ECHO_RSP, sopClass, null, messageId, StoreResult.SUCCESS, null));
            case C_STORE_RQ -> {
                if (Attribute.getSingleIntegerValueOrDefault(list, TagFromName.CommandDataSetType, NO_DATA_SET) == NO_DATA_SET) {
                    throw new ProtocolViolation("C-STORE-RQ without a data set", Acse.ABORT_REASON_INVALID_PARAMETER);
                }
                beginStore(contextId, messageId, sopClass, uid(list, TagFromName.AffectedSOPInstanceUID));
            }
            case C_CANCEL_RQ -> {
                // Nothing of ours can be cancelled (C-CANCEL is for C-FIND/C-GET/C-MOVE).
            }
            default -> throw new ProtocolViolation("unsupported DIMSE command 0x" + Integer.toHexString(field),
                    Acse.ABORT_REASON_UNEXPECTED_PDU);
        }
    }

    /** Starts the incoming object (in memory, or a file if it grows large) with its meta header. */
    private void beginStore(byte contextId, int messageId, String sopClass, String sopInstance) throws Exception {
        PendingStore p = new PendingStore();
        p.contextId = contextId;
        p.messageId = messageId;
        p.sopClassUid = sopClass;
        p.sopInstanceUid = sopInstance;
        p.transferSyntaxUid = accepted.get(contextId).getTransferSyntaxUID();
        p.object = new IncomingObject(scp.incomingDir(), spareBuffer);
        spareBuffer = null;
        pending = p;
        try {
            DicomOutputStream meta = new DicomOutputStream(p.object.sink(), TransferSyntax.ExplicitVRLittleEndian, null);
            new FileMetaInformation(sopClass, sopInstance, p.transferSyntaxUid, request.callingAeTitle()).getAttributeList().write(meta);
            meta.flush();
        } catch (Exception e) {
            cannotWrite(p, e);
        }
    }

    private void writeData(byte[] pdu, int offset, int length) {
        PendingStore p = pending;
        if (p.object == null) {
            return; // already failed: drain
        }
        try {
            p.object.write(pdu, offset, length);
        } catch (IOException e) {
            cannotWrite(p, e);
        }
    }

    /** The incoming folder is full or unwritable (a large object): the sender gets 0xA700 once its data set is in. */
    private void cannotWrite(PendingStore p, Exception e) {
        LOG.error("DICOM C-STORE from {} ({}): cannot write the incoming file: {}", peer, callingAe(), e.toString());
        discardQuietly(p.object);
        p.object = null;
        p.failure = StoreResult.failed(StoreResult.OUT_OF_RESOURCES, "could not write the object: " + e.getClass().getSimpleName());
    }

    private static void discardQuietly(IncomingObject object) {
        if (object == null) {
            return;
        }
        try {
            object.discard();
        } catch (IOException e) {
            LOG.error("could not delete an incoming file: {}", e.toString());
        }
    }

    /** The data set is complete: check it, hand it to the handler, answer with the handler's status. */
    private void completeStore() throws Exception {
        PendingStore p = pending;
        if (p.object != null) {
            try {
                p.object.finish();
            } catch (IOException e) {
                cannotWrite(p, e);
            }
        }
        DicomObject header = p.failure != null ? null : readHeader(p);
        StoreResult result = p.failure != null ? p.failure : checkDataSet(p, header);
        if (result == null) {
            try {
                result = scp.handler().onReceived(new ReceivedInstance(p.object, request.callingAeTitle(), request.calledAeTitle(),
                        p.transferSyntaxUid, p.sopClassUid, p.sopInstanceUid, header));
                if (result == null) {
                    throw new IllegalStateException("the handler gave no answer");
                }
            } catch (Throwable t) {
                if (t instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                scp.reportHandlerFailure(t);
                result = StoreResult.failed(StoreResult.OUT_OF_RESOURCES, "could not store the object (internal error)");
            }
        }
        if (result.isStored()) {
            stored++;
        } else {
            failed++;
            discardQuietly(p.object);
            LOG.warn("DICOM C-STORE from {} ({}) refused with {}", peer, callingAe(), result);
        }
        if (p.object != null) {
            // The handler is done with it: its memory serves the next object.
            spareBuffer = p.object.buffer();
        }
        pending = null;
        send(p.contextId, response(C_STORE_RSP, p.sopClassUid, p.sopInstanceUid, p.messageId, result.status(), result.wireComment()));
    }

    /** The header up to the pixels, read once here for the check below and passed on to the handler. */
    private static DicomObject readHeader(PendingStore p) {
        try {
            return DicomReader.readHeader(p.object::open);
        } catch (InvalidDicomException e) {
            return null; // not ours to judge: the handler reads the object and says what is wrong with it
        }
    }

    /**
     * The data set must carry the SOP class and instance the request named (PS3.4 B.2.3: 0xA900
     * otherwise). Null when it does, or when the header could not be read (the handler decides).
     */
    private static StoreResult checkDataSet(PendingStore p, DicomObject header) {
        if (header == null) {
            return null;
        }
        if (!header.sopClassUid().equals(p.sopClassUid)) {
            return StoreResult.failed(StoreResult.DATA_SET_DOES_NOT_MATCH_SOP_CLASS, "SOP Class UID differs from the C-STORE request");
        }
        if (!header.sopInstanceUid().equals(p.sopInstanceUid)) {
            return StoreResult.failed(StoreResult.DATA_SET_DOES_NOT_MATCH_SOP_CLASS,
                    "SOP Instance UID differs from the C-STORE request");
        }
        return null;
    }

    /** A DIMSE response command set, implicit VR little endian, with its group length. */
    static byte[] response(int commandField, String sopClass, String sopInstance, int messageId, int status, String errorComment)
            throws Exception {
        AttributeList list = new AttributeList();
        putUid(list, TagFromName.AffectedSOPClassUID, sopClass);
        putUs(list, TagFromName.CommandField, commandField);
        putUs(list, TagFromName.MessageIDBeingRespondedTo, messageId);
        putUs(list, TagFromName.CommandDataSetType, NO_DATA_SET);
        putUs(list, TagFromName.Status, status);
        if (errorComment != null && status != StoreResult.SUCCESS) {
            Attribute comment = new LongStringAttribute(TagFromName.ErrorComment);
            comment.addValue(errorComment);
            list.put(comment);
        }
        if (sopInstance != null) {
            putUid(list, TagFromName.AffectedSOPInstanceUID, sopInstance);
        }
        // Command Group Length comes first and counts the bytes after it: encode once with 0 and
        // patch its value (implicit VR little endian: tag 4, length 4, then the 4-byte value).
        Attribute groupLength = new UnsignedLongAttribute(new AttributeTag(0x0000, 0x0000));
        groupLength.addValue(0);
        list.put(groupLength);
        byte[] encoded = encode(list);
        int length = encoded.length - GROUP_LENGTH_ELEMENT;
        for (int i = 0; i < 4; i++) {
            encoded[8 + i] = (byte) (length >>> (8 * i));
        }
        return encoded;
    }

    private static byte[] encode(AttributeList list) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        list.write(new DicomOutputStream(bytes, null, TransferSyntax.ImplicitVRLittleEndian));
        return bytes.toByteArray();
    }

    private static void putUs(AttributeList list, AttributeTag tag, int value) throws Exception {
        Attribute a = new UnsignedShortAttribute(tag);
        a.addValue(value);
        list.put(a);
    }

    private static void putUid(AttributeList list, AttributeTag tag, String value) throws Exception {
        Attribute a = new UniqueIdentifierAttribute(tag);
        a.addValue(value);
        list.put(a);
    }

    private static String uid(AttributeList list, AttributeTag tag) {
        String v = Attribute.getSingleStringValueOrEmptyString(list, tag);
        int end = v.length();
        while (end > 0 && (v.charAt(end - 1) == '\0' || v.charAt(end - 1) == ' ')) {
            end--;
        }
        return v.substring(0, end).strip();
    }

    /** One P-DATA-TF PDU holding a whole command set (responses are small). */
    private void send(byte contextId, byte[] commandSet) throws IOException {
        int itemLength = commandSet.length + 2;
        byte[] pdu = new byte[6 + 4 + itemLength];
        pdu[0] = PDU_P_DATA;
        writeInt(pdu, 2, 4 + itemLength);
        writeInt(pdu, 6, itemLength);
        pdu[10] = contextId;
        pdu[11] = 0x03; // command, last fragment
        System.arraycopy(commandSet, 0, pdu, 12, commandSet.length);
        write(pdu);
    }

    private void write(byte[] pdu) throws IOException {
        out.write(pdu);
        out.flush();
    }

    /** A whole PDU, header included; null on a clean end of stream between PDUs. */
    private byte[] readPdu(int maxLength) throws IOException {
        byte[] header = new byte[6];
        int n = in.readNBytes(header, 0, 6);
        if (n == 0) {
            return null;
        }
        if (n < 6) {
            throw new EOFException("connection closed inside a PDU header");
        }
        long length = readInt(header, 2);
        if (length > maxLength) {
            throw new ProtocolViolation("PDU of " + length + " bytes (type " + type(header) + ") exceeds " + maxLength,
                    Acse.ABORT_REASON_INVALID_PARAMETER);
        }
        byte[] pdu = new byte[6 + (int) length];
        System.arraycopy(header, 0, pdu, 0, 6);
        if (in.readNBytes(pdu, 6, (int) length) < length) {
            throw new EOFException("connection closed inside a PDU");
        }
        return pdu;
    }

    /** After A-RELEASE-RP or A-ASSOCIATE-RJ the requestor closes; wait for that, at most ARTIM. */
    private void awaitPeerClose() {
        try {
            socket.shutdownOutput();
            socket.setSoTimeout(ARTIM_MILLIS);
            byte[] sink = new byte[512];
            while (in.read(sink) >= 0) {
                // Whatever still comes is of no interest.
            }
        } catch (IOException ignored) {
            // Timed out or reset: we close anyway.
        }
    }

    private void abortQuietly(int reason) {
        try {
            if (out != null && !socket.isClosed()) {
                write(Acse.abort(Acse.ABORT_SOURCE_PROVIDER, reason));
            }
        } catch (Exception ignored) {
            // The connection is going away regardless.
        }
    }

    /** A transfer that did not complete leaves no file behind. */
    private void discardPending() {
        PendingStore p = pending;
        pending = null;
        if (p == null) {
            return;
        }
        LOG.warn("DICOM association from {} ({}): incomplete C-STORE discarded", peer, callingAe());
        discardQuietly(p.object);
    }

    private void closeQuietly() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // Closed is closed.
        }
    }

    private String callingAe() {
        return request == null ? "before A-ASSOCIATE" : request.callingAeTitle();
    }

    private static int type(byte[] pdu) {
        return pdu[0] & 0xff;
    }

    private static long readInt(byte[] b, int at) {
        return ((b[at] & 0xffL) << 24) | ((b[at + 1] & 0xffL) << 16) | ((b[at + 2] & 0xffL) << 8) | (b[at + 3] & 0xffL);
    }

    private static void writeInt(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 24);
        b[at + 1] = (byte) (v >>> 16);
        b[at + 2] = (byte) (v >>> 8);
        b[at + 3] = (byte) v;
    }
}
