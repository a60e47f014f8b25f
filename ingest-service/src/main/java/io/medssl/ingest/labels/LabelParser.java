package io.medssl.ingest.labels;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.MediaType;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads a label request body, CSV or JSON, into rows. Every way the body as a whole is unusable
 * (not parsable, no label column, no identifier column, no rows, too many rows) is a
 * {@link LabelRequestException}; a single bad row is left for {@link LabelService} to report.
 */
@ApplicationScoped
public class LabelParser {
    public static final String CSV = "text/csv";

    static final String STUDY_UID_COLUMN = "StudyInstanceUID";
    static final String ACCESSION_COLUMN = "AccessionNumber";
    static final String LABEL_COLUMN = "label";

    private static final CsvMapper CSV_MAPPER = CsvMapper.builder()
            .enable(CsvParser.Feature.WRAP_AS_ARRAY)
            .enable(CsvParser.Feature.SKIP_EMPTY_LINES)
            .enable(CsvParser.Feature.TRIM_SPACES)
            .build();

    private final ObjectMapper json;

    public LabelParser(ObjectMapper json) {
        this.json = json;
    }

    /** @param contentType the request's Content-Type header, or null */
    public List<LabelRow> parse(String contentType, byte[] body, int maxRows) {
        if (contentType == null || contentType.isBlank()) {
            throw unsupported("a request without Content-Type");
        }
        MediaType type;
        try {
            type = MediaType.valueOf(contentType);
        } catch (IllegalArgumentException e) {
            throw unsupported("an unparsable Content-Type");
        }
        if (body == null || body.length == 0) {
            throw new LabelRequestException(400, "Empty request", "the request has no body; send a CSV file or a JSON array of rows");
        }
        List<LabelRow> rows;
        if (type.isCompatible(MediaType.APPLICATION_JSON_TYPE)) {
            rows = parseJson(body, maxRows);
        } else if (type.isCompatible(MediaType.valueOf(CSV))) {
            rows = parseCsv(decode(body, type), maxRows);
        } else {
            throw unsupported(type.toString());
        }
        if (rows.isEmpty()) {
            throw new LabelRequestException(400, "No label rows", "the request names no study to label");
        }
        return rows;
    }

    static LabelRequestException unsupported(String contentType) {
        return new LabelRequestException(415, "Unsupported media type",
                "send labels as " + CSV + " or " + MediaType.APPLICATION_JSON + ", not " + contentType);
    }

    // ---- CSV ----

    private static String decode(byte[] body, MediaType type) {
        String name = type.getParameters().get(MediaType.CHARSET_PARAMETER);
        Charset charset;
        try {
            charset = name == null ? StandardCharsets.UTF_8 : Charset.forName(name);
        } catch (IllegalArgumentException e) {
            throw new LabelRequestException(415, "Unsupported charset", "unknown charset " + name + "; send UTF-8");
        }
        String text;
        try {
            text = charset.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(body)).toString();
        } catch (CharacterCodingException e) {
            throw new LabelRequestException(400, "Unreadable CSV",
                    "the body is not valid " + charset.name() + "; name the file's encoding in the Content-Type charset parameter");
        }
        // A spreadsheet's UTF-8 export usually starts with a byte order mark.
        return text.startsWith("\uFEFF") ? text.substring(1) : text;
    }

    private static List<LabelRow> parseCsv(String text, int maxRows) {
        CsvSchema schema = CsvSchema.emptySchema().withColumnSeparator(separator(text));
        List<LabelRow> rows = new ArrayList<>();
        try (MappingIterator<List<String>> records = CSV_MAPPER.readerForListOf(String.class).with(schema).readValues(text)) {
            if (!records.hasNextValue()) {
                throw new LabelRequestException(400, "Empty CSV", "the CSV file has no header row");
            }
            Map<String, Integer> columns = header(records.nextValue());
            Integer uid = columns.get(normalise(STUDY_UID_COLUMN));
            Integer accession = columns.get(normalise(ACCESSION_COLUMN));
            Integer label = columns.get(normalise(LABEL_COLUMN));
            if (label == null) {
                throw new LabelRequestException(400, "No label column", "the CSV header has no '" + LABEL_COLUMN + "' column");
            }
            if (uid == null && accession == null) {
                throw new LabelRequestException(400, "No study column", "the CSV header names neither '" + STUDY_UID_COLUMN
                        + "' nor '" + ACCESSION_COLUMN + "'");
            }
            while (records.hasNextValue()) {
                List<String> record = records.nextValue();
                LabelRow row = LabelRow.of(rows.size() + 1, cell(record, uid), cell(record, accession), cell(record, label));
                if (row.blank() && record.stream().allMatch(c -> c == null || c.isBlank())) {
                    continue; // a line of empty cells (",,,"), as spreadsheets write after the data
                }
                if (rows.size() == maxRows) {
                    throw tooMany(maxRows);
                }
                rows.add(row);
            }
        } catch (JsonProcessingException e) {
            throw new LabelRequestException(400, "Unparsable CSV", describe(e));
        } catch (IOException e) {
            throw new LabelRequestException(400, "Unparsable CSV", "the CSV could not be read");
        }
        return rows;
    }

    /** Comma, unless the header line has none but has semicolons or tabs (spreadsheets in some locales). */
    private static char separator(String text) {
        int end = text.indexOf('\n');
        String header = end < 0 ? text : text.substring(0, end);
        if (header.indexOf(',') >= 0) {
            return ',';
        }
        if (header.indexOf(';') >= 0) {
            return ';';
        }
        return header.indexOf('\t') >= 0 ? '\t' : ',';
    }

    private static Map<String, Integer> header(List<String> names) {
        Map<String, Integer> columns = new HashMap<>();
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i) == null ? "" : names.get(i);
            String key = normalise(name);
            if (key.isEmpty()) {
                continue;
            }
            if (columns.putIfAbsent(key, i) != null) {
                throw new LabelRequestException(400, "Duplicate column", "the CSV header has the column '" + name.strip() + "' twice");
            }
        }
        return columns;
    }

    /** Column names match ignoring case, spaces, '_' and '-': "Study Instance UID", "study_instance_uid". */
    private static String normalise(String name) {
        return name.replaceAll("[\\s_\\-]", "").toLowerCase(Locale.ROOT);
    }

    private static String cell(List<String> record, Integer column) {
        return column == null || column >= record.size() ? null : record.get(column);
    }

    // ---- JSON ----

    private List<LabelRow> parseJson(byte[] body, int maxRows) {
        List<LabelRow> rows = new ArrayList<>();
        try (var parser = json.getFactory().createParser(body)) {
            if (parser.nextToken() != com.fasterxml.jackson.core.JsonToken.START_ARRAY) {
                throw new LabelRequestException(400, "Not a JSON array",
                        "send a JSON array of {\"studyInstanceUid\", \"accessionNumber\", \"label\"} objects");
            }
            while (parser.nextToken() != com.fasterxml.jackson.core.JsonToken.END_ARRAY) {
                if (rows.size() == maxRows) {
                    throw tooMany(maxRows);
                }
                LabelRequestRow r = json.readValue(parser, LabelRequestRow.class);
                rows.add(r == null ? new LabelRow(rows.size() + 1, null, null, null)
                        : LabelRow.of(rows.size() + 1, r.studyInstanceUid(), r.accessionNumber(), r.label()));
            }
            if (parser.nextToken() != null) {
                throw new LabelRequestException(400, "Unparsable JSON", "unexpected content after the JSON array");
            }
        } catch (MismatchedInputException e) {
            throw new LabelRequestException(400, "Unparsable JSON", "each row must be an object whose studyInstanceUid, "
                    + "accessionNumber and label are strings" + at(e.getLocation()));
        } catch (JsonProcessingException e) {
            throw new LabelRequestException(400, "Unparsable JSON", describe(e));
        } catch (IOException e) {
            throw new LabelRequestException(400, "Unparsable JSON", "the JSON could not be read");
        }
        return rows;
    }

    private static LabelRequestException tooMany(int maxRows) {
        return new LabelRequestException(413, "Too many rows", "at most " + maxRows + " rows per request; split the file");
    }

    /** The parser's own words and where, without the source excerpt some messages append. */
    private static String describe(JsonProcessingException e) {
        return e.getOriginalMessage() + at(e.getLocation());
    }

    private static String at(JsonLocation location) {
        return location == null || location.getLineNr() < 1 ? ""
                : " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
    }
}
