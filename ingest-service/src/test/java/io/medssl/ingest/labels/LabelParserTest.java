package io.medssl.ingest.labels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

class LabelParserTest {
    private final LabelParser parser = new LabelParser(new ObjectMapper());

    private List<LabelRow> csv(String text) {
        return parser.parse("text/csv", text.getBytes(StandardCharsets.UTF_8), 100);
    }

    private static void refused(ThrowingCallable call, int status, String title) {
        assertThatThrownBy(call).isInstanceOfSatisfying(LabelRequestException.class, e -> {
            assertThat(e.status()).isEqualTo(status);
            assertThat(e.title()).isEqualTo(title);
            assertThat(e.getMessage()).isNotBlank();
        });
    }

    @Test
    void csvToleratesBomCrlfPaddingQuotesAndColumnOrder() {
        List<LabelRow> rows = csv("\uFEFFlabel ;  accession_number ; studyinstanceuid\r\n"
                + "\"a \"\"quoted\"\" label\"; \"A-1\" ;\r\n"
                + "  b  ;;  1.2.3  \r\n"
                + "\r\n"
                + ";;\r\n"
                + "c;A-3;1.2.4");
        assertThat(rows).containsExactly(
                new LabelRow(1, null, "A-1", "a \"quoted\" label"),
                new LabelRow(2, "1.2.3", null, "b"),
                new LabelRow(3, "1.2.4", "A-3", "c"));
    }

    @Test
    void csvWithTabsAndAShortRow() {
        assertThat(csv("StudyInstanceUID\tlabel\n1.2.3\n1.2.4\tx\n")).containsExactly(
                new LabelRow(1, "1.2.3", null, null), new LabelRow(2, "1.2.4", null, "x"));
    }

    @Test
    void csvInAnotherCharset() {
        byte[] latin1 = "StudyInstanceUID,label\n1.2.3,Läsion\n".getBytes(StandardCharsets.ISO_8859_1);
        assertThat(parser.parse("text/csv; charset=ISO-8859-1", latin1, 10)).containsExactly(new LabelRow(1, "1.2.3", null, "Läsion"));
        refused(() -> parser.parse("text/csv", latin1, 10), 400, "Unreadable CSV");
    }

    @Test
    void jsonRowsWithAliasesNumbersAndNulls() {
        String json = "[{\"StudyInstanceUID\": \" 1.2.3 \", \"label\": \"x\", \"extra\": [1]},"
                + " {\"accessionNumber\": 710000, \"Label\": \"y\"}, null, {}]";
        assertThat(parser.parse("application/json; charset=utf-8", json.getBytes(StandardCharsets.UTF_8), 10)).containsExactly(
                new LabelRow(1, "1.2.3", null, "x"), new LabelRow(2, null, "710000", "y"),
                new LabelRow(3, null, null, null), new LabelRow(4, null, null, null));
    }

    @Test
    void wholeRequestsAreRefusedWithAProblem() {
        refused(() -> parser.parse(null, "a".getBytes(), 10), 415, "Unsupported media type");
        refused(() -> parser.parse("text/plain", "a".getBytes(), 10), 415, "Unsupported media type");
        refused(() -> parser.parse("not a type", "a".getBytes(), 10), 415, "Unsupported media type");
        refused(() -> parser.parse("text/csv", null, 10), 400, "Empty request");
        refused(() -> csv("   "), 400, "Empty CSV");
        refused(() -> csv("StudyInstanceUID\n1.2.3\n"), 400, "No label column");
        refused(() -> csv("\n\n"), 400, "Empty CSV");
        refused(() -> csv("StudyInstanceUID,label\n,,\n"), 400, "No label rows");
        refused(() -> csv("label,StudyInstanceUID\n\"x,1.2.3\n"), 400, "Unparsable CSV");
        refused(() -> csv("Study Instance UID,STUDY_INSTANCE_UID,label\n"), 400, "Duplicate column");
        refused(() -> parser.parse("text/csv", "StudyInstanceUID,label\n1,a\n2,b\n3,c\n".getBytes(), 2), 413, "Too many rows");
        refused(() -> parser.parse("application/json", "[{},{},{}]".getBytes(), 2), 413, "Too many rows");
        refused(() -> parser.parse("application/json", "[{}] [".getBytes(), 2), 400, "Unparsable JSON");
        refused(() -> parser.parse("application/json", "[{\"label\": [\"a\"]}]".getBytes(), 2), 400, "Unparsable JSON");
        refused(() -> parser.parse("application/json", "\"labels\"".getBytes(), 2), 400, "Not a JSON array");
    }

    @Test
    void parseErrorsSayWhere() {
        assertThatThrownBy(() -> parser.parse("application/json", "[\n{\"label\": x}]".getBytes(), 2))
                .hasMessageContaining("line 2");
    }
}
