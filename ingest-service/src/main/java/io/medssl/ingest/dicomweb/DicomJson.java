package io.medssl.ingest.dicomweb;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Builds attributes in the DICOM JSON model (PS3.18 F.2): {@code {"0020000D": {"vr": "UI",
 * "Value": ["1.2…"]}}}. Only the handful of tags DICOMweb answers here need.
 */
final class DicomJson {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private DicomJson() {
    }

    static ObjectNode object() {
        return NODES.objectNode();
    }

    static ArrayNode array() {
        return NODES.arrayNode();
    }

    static ObjectNode string(ObjectNode target, String tag, String vr, String value) {
        ObjectNode attribute = target.putObject(tag);
        attribute.put("vr", vr);
        if (value != null && !value.isEmpty()) {
            attribute.putArray("Value").add(value);
        }
        return target;
    }

    static ObjectNode strings(ObjectNode target, String tag, String vr, Iterable<String> values) {
        ObjectNode attribute = target.putObject(tag);
        attribute.put("vr", vr);
        ArrayNode array = attribute.putArray("Value");
        values.forEach(array::add);
        return target;
    }

    static ObjectNode number(ObjectNode target, String tag, String vr, long value) {
        ObjectNode attribute = target.putObject(tag);
        attribute.put("vr", vr);
        attribute.putArray("Value").add(value);
        return target;
    }

    static ArrayNode sequence(ObjectNode target, String tag) {
        ObjectNode attribute = target.putObject(tag);
        attribute.put("vr", "SQ");
        return attribute.putArray("Value");
    }
}
