package io.tsunagu.protocol.update;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class CanonicalJsonTest {

    private static String canonical(String json) {
        return new String(CanonicalJson.encode(CanonicalJson.parse(bytes(json))), StandardCharsets.UTF_8);
    }

    private static byte[] bytes(String json) {
        return json.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void sortsKeysAndDropsWhitespace() {
        assertThat(canonical("{ \"b\" : [1, -2, {\"z\": null, \"a\": false}],\n \"a\": {\"y\": true, \"x\": \"s\"} }"))
                .isEqualTo("{\"a\":{\"x\":\"s\",\"y\":true},\"b\":[1,-2,{\"a\":false,\"z\":null}]}");
    }

    @Test
    void escapesOnlyQuoteAndBackslashAndWritesEverythingElseRaw() {
        byte[] encoded = CanonicalJson.encode(CanonicalJson.parse(bytes("{\"k\":\"q\\\"b\\\\n\\nt\\té\\u00fc\"}")));
        // Golden bytes: quote and backslash escaped; newline, tab and non-ASCII written as raw UTF-8 (OLPC).
        assertThat(encoded).isEqualTo(new byte[] {
            '{',
            '"',
            'k',
            '"',
            ':',
            '"',
            'q',
            '\\',
            '"',
            'b',
            '\\',
            '\\',
            'n',
            '\n',
            't',
            '\t',
            (byte) 0xc3,
            (byte) 0xa9,
            (byte) 0xc3,
            (byte) 0xbc,
            '"',
            '}'
        });
    }

    @Test
    void fileFormEscapesControlCharactersSoThatParsersAcceptIt() {
        var node = CanonicalJson.parse(bytes("{\"pem\":\"a\\nb\\u0001\\\"\"}"));
        assertThat(new String(CanonicalJson.encodeFile(node), StandardCharsets.UTF_8))
                .isEqualTo("{\"pem\":\"a\\u000ab\\u0001\\\"\"}");
        assertThat(CanonicalJson.parse(CanonicalJson.encodeFile(node))).isEqualTo(node);
        assertThat(CanonicalJson.encode(node)).contains((byte) '\n');
    }

    @Test
    void ordersKeysByCodePointNotByUtf16Unit() {
        // U+FF5E is one UTF-16 unit above the surrogates of U+1F600, but a lower code point.
        assertThat(canonical("{\"\\ud83d\\ude00\": 1, \"\\uff5e\": 2}")).isEqualTo("{\"～\":2,\"😀\":1}");
    }

    @Test
    void keepsBigIntegersExactly() {
        assertThat(canonical("{\"n\": 123456789012345678901234567890}"))
                .isEqualTo("{\"n\":123456789012345678901234567890}");
    }

    @Test
    void refusesFloatsAnywhere() {
        assertThatThrownBy(() -> CanonicalJson.parse(bytes("{\"a\": [1, {\"b\": 1.0}]}")))
                .isInstanceOfSatisfying(
                        UpdateRefusedException.class,
                        e -> assertThat(e.reason()).isEqualTo(UpdateRefusalReason.MALFORMED_METADATA));
        assertThatThrownBy(() -> CanonicalJson.parse(bytes("{\"a\": 1e3}"))).hasMessageContaining("floats");
    }

    @Test
    void refusesDuplicateKeysAndTrailingData() {
        assertThatThrownBy(() -> CanonicalJson.parse(bytes("{\"a\": 1, \"a\": 2}")))
                .isInstanceOf(UpdateRefusedException.class)
                .hasMessageContaining("Duplicate field");
        assertThatThrownBy(() -> CanonicalJson.parse(bytes("{\"a\": 1} {}")))
                .isInstanceOf(UpdateRefusedException.class);
        assertThatThrownBy(() -> CanonicalJson.parse(bytes(""))).isInstanceOf(UpdateRefusedException.class);
    }
}
