package io.medssl.dicom;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.DicomInputStream;
import com.pixelmed.dicom.DicomOutputStream;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.TransferSyntax;
import com.pixelmed.dicom.UniqueIdentifierAttribute;
import com.pixelmed.dicom.UnsignedLongAttribute;
import com.pixelmed.dicom.UnsignedShortAttribute;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A bare-bones C-STORE SCU speaking the protocol byte by byte, for what dcmtk will not do on
 * purpose: name one instance in the request and send another, or stop in the middle of a data set.
 * One presentation context: Secondary Capture Image Storage in implicit VR little endian.
 */
final class RawScu implements AutoCloseable {
    static final String SC = "1.2.840.10008.5.1.4.1.1.7";
    private static final byte PC = 1;

    record Response(int status, String errorComment) {
    }

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private int messageId = 1;

    private RawScu(Socket socket) throws IOException {
        this.socket = socket;
        socket.setSoTimeout(30_000);
        socket.setTcpNoDelay(true);
        this.in = new DataInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    static RawScu connect(int port, String callingAe, String calledAe) throws IOException {
        RawScu scu = new RawScu(new Socket("127.0.0.1", port));
        scu.out.write(associateRequest(callingAe, calledAe));
        scu.out.flush();
        byte[] answer = scu.readPdu();
        if (answer[0] != 0x02) {
            scu.close();
            throw new IOException("association not accepted: PDU type " + answer[0]);
        }
        return scu;
    }

    /** A data set (implicit VR LE) with the UIDs a reader requires and no pixels. */
    static byte[] minimalDataSet(String sopInstanceUid) throws Exception {
        AttributeList list = new AttributeList();
        uid(list, TagFromName.SOPClassUID, SC);
        uid(list, TagFromName.SOPInstanceUID, sopInstanceUid);
        uid(list, TagFromName.StudyInstanceUID, "1.2.3.4.1");
        uid(list, TagFromName.SeriesInstanceUID, "1.2.3.4.2");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        list.write(new DicomOutputStream(bytes, null, TransferSyntax.ImplicitVRLittleEndian));
        return bytes.toByteArray();
    }

    Response store(String affectedSopInstanceUid, byte[] dataSet) throws Exception {
        send(command(affectedSopInstanceUid), true, true);
        send(dataSet, false, true);
        byte[] pdu = readPdu();
        if (pdu[0] != 0x04) {
            throw new IOException("expected P-DATA, got PDU type " + pdu[0]);
        }
        byte[] value = new byte[pdu.length - 12];
        System.arraycopy(pdu, 12, value, 0, value.length);
        AttributeList rsp = new AttributeList();
        rsp.read(new DicomInputStream(new ByteArrayInputStream(value), TransferSyntax.ImplicitVRLittleEndian, false));
        return new Response(Attribute.getSingleIntegerValueOrDefault(rsp, TagFromName.Status, -1),
                Attribute.getSingleStringValueOrEmptyString(rsp, TagFromName.ErrorComment));
    }

    /** Sends the request and the first half of the data set only. */
    void beginStore(String affectedSopInstanceUid, byte[] dataSet) throws Exception {
        send(command(affectedSopInstanceUid), true, true);
        byte[] half = new byte[dataSet.length / 2];
        System.arraycopy(dataSet, 0, half, 0, half.length);
        send(half, false, false);
    }

    private byte[] command(String sopInstanceUid) throws Exception {
        AttributeList list = new AttributeList();
        uid(list, TagFromName.AffectedSOPClassUID, SC);
        us(list, TagFromName.CommandField, 0x0001);
        us(list, TagFromName.MessageID, messageId++);
        us(list, TagFromName.Priority, 0);
        us(list, TagFromName.CommandDataSetType, 0x0000);
        uid(list, TagFromName.AffectedSOPInstanceUID, sopInstanceUid);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        list.write(new DicomOutputStream(bytes, null, TransferSyntax.ImplicitVRLittleEndian));
        Attribute length = new UnsignedLongAttribute(new AttributeTag(0, 0));
        length.addValue(bytes.size());
        list.put(length);
        bytes.reset();
        list.write(new DicomOutputStream(bytes, null, TransferSyntax.ImplicitVRLittleEndian));
        return bytes.toByteArray();
    }

    private void send(byte[] value, boolean isCommand, boolean isLast) throws IOException {
        ByteArrayOutputStream pdu = new ByteArrayOutputStream();
        pdu.write(0x04);
        pdu.write(0);
        int32(pdu, value.length + 6);
        int32(pdu, value.length + 2);
        pdu.write(PC);
        pdu.write((isCommand ? 1 : 0) | (isLast ? 2 : 0));
        pdu.write(value);
        out.write(pdu.toByteArray());
        out.flush();
    }

    private byte[] readPdu() throws IOException {
        byte[] header = new byte[6];
        in.readFully(header);
        int length = ((header[2] & 0xff) << 24) | ((header[3] & 0xff) << 16) | ((header[4] & 0xff) << 8) | (header[5] & 0xff);
        byte[] pdu = new byte[6 + length];
        System.arraycopy(header, 0, pdu, 0, 6);
        in.readFully(pdu, 6, length);
        return pdu;
    }

    private static byte[] associateRequest(String callingAe, String calledAe) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(0);
        body.write(1); // protocol version
        body.write(0);
        body.write(0);
        body.write(ae(calledAe));
        body.write(ae(callingAe));
        body.write(new byte[32]);
        item(body, 0x10, "1.2.840.10008.3.1.1.1".getBytes(StandardCharsets.US_ASCII));
        ByteArrayOutputStream pc = new ByteArrayOutputStream();
        pc.write(PC);
        pc.write(new byte[3]);
        item(pc, 0x30, SC.getBytes(StandardCharsets.US_ASCII));
        item(pc, 0x40, TransferSyntax.ImplicitVRLittleEndian.getBytes(StandardCharsets.US_ASCII));
        item(body, 0x20, pc.toByteArray());
        ByteArrayOutputStream user = new ByteArrayOutputStream();
        ByteArrayOutputStream max = new ByteArrayOutputStream();
        int32(max, 16384);
        item(user, 0x51, max.toByteArray());
        item(body, 0x50, user.toByteArray());
        ByteArrayOutputStream pdu = new ByteArrayOutputStream();
        pdu.write(0x01);
        pdu.write(0);
        int32(pdu, body.size());
        pdu.write(body.toByteArray());
        return pdu.toByteArray();
    }

    private static byte[] ae(String title) {
        byte[] b = new byte[16];
        java.util.Arrays.fill(b, (byte) ' ');
        byte[] t = title.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(t, 0, b, 0, t.length);
        return b;
    }

    private static void item(ByteArrayOutputStream to, int type, byte[] value) throws IOException {
        to.write(type);
        to.write(0);
        to.write(value.length >>> 8);
        to.write(value.length & 0xff);
        to.write(value);
    }

    private static void int32(ByteArrayOutputStream to, int v) {
        to.write(v >>> 24);
        to.write((v >>> 16) & 0xff);
        to.write((v >>> 8) & 0xff);
        to.write(v & 0xff);
    }

    private static void uid(AttributeList list, AttributeTag tag, String value) throws Exception {
        Attribute a = new UniqueIdentifierAttribute(tag);
        a.addValue(value);
        list.put(a);
    }

    private static void us(AttributeList list, AttributeTag tag, int value) throws Exception {
        Attribute a = new UnsignedShortAttribute(tag);
        a.addValue(value);
        list.put(a);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
