package io.tsunagu.protocol.update;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;

/**
 * OLPC canonical JSON as TUF signs it: object keys sorted by Unicode code point, no insignificant whitespace, strings
 * escaping only {@code "} and {@code \}, integers only. Signatures cover these bytes of {@code signed}, so a
 * verifier re-encodes the parsed tree: unknown fields stay covered, and formatting on the wire does not matter.
 *
 * <p>{@link #parse} is deliberately strict where parsers differ (a signature over one reading, an ECU acting on
 * another): duplicate object keys, floats and trailing data are {@link UpdateRefusalReason#MALFORMED_METADATA}.
 */
public final class CanonicalJson {
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private CanonicalJson() {}

    /** A new empty object node, for building metadata. */
    public static ObjectNode object() {
        return JsonNodeFactory.instance.objectNode();
    }

    /** Parses UTF-8 JSON strictly (see class doc); never returns a tree containing a float. */
    public static JsonNode parse(byte[] json) {
        JsonNode node;
        try {
            node = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw malformed("not JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw malformed("not JSON: " + e.getMessage());
        }
        if (node == null || node.isMissingNode()) {
            throw malformed("empty document");
        }
        rejectFloats(node);
        return node;
    }

    /** The canonical UTF-8 bytes of {@code node}, what signatures cover; a float is refused as malformed. */
    public static byte[] encode(JsonNode node) {
        return new Encoder(false).write(node).toByteArray();
    }

    /**
     * The bytes of a metadata file: canonical, except that control characters in strings are escaped the JSON way
     * (backslash, u, four hex digits). OLPC canonical JSON writes them raw (a PEM key has newlines), which JSON
     * parsers reject, so files use this form and signatures the {@link #encode} form of the same tree.
     */
    public static byte[] encodeFile(JsonNode node) {
        return new Encoder(true).write(node).toByteArray();
    }

    private static final byte[] TRUE = "true".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] FALSE = "false".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] NULL = "null".getBytes(StandardCharsets.US_ASCII);

    private static final class Encoder {
        private final boolean escapeControl;
        private final ByteArrayOutputStream out = new ByteArrayOutputStream(256);

        Encoder(boolean escapeControl) {
            this.escapeControl = escapeControl;
        }

        ByteArrayOutputStream write(JsonNode node) {
            switch (node.getNodeType()) {
                case OBJECT -> writeObject(node);
                case ARRAY -> {
                    out.write('[');
                    for (int i = 0; i < node.size(); i++) {
                        if (i > 0) {
                            out.write(',');
                        }
                        write(node.get(i));
                    }
                    out.write(']');
                }
                case STRING -> writeString(node.textValue());
                case NUMBER -> {
                    if (!node.isIntegralNumber()) {
                        throw malformed("canonical JSON has no floats: " + node);
                    }
                    out.writeBytes(node.bigIntegerValue().toString().getBytes(StandardCharsets.US_ASCII));
                }
                case BOOLEAN -> out.writeBytes(node.booleanValue() ? TRUE : FALSE);
                case NULL -> out.writeBytes(NULL);
                default -> throw new IllegalArgumentException("not a JSON value: " + node.getNodeType());
            }
            return out;
        }

        private void writeObject(JsonNode node) {
            List<String> names = new ArrayList<>(node.size());
            node.fieldNames().forEachRemaining(names::add);
            // Code-point order, as Python's sorted() on str (the TUF reference); String.compareTo would order by
            // UTF-16 units and differ for characters outside the BMP.
            names.sort(CanonicalJson::compareCodePoints);
            out.write('{');
            for (int i = 0; i < names.size(); i++) {
                if (i > 0) {
                    out.write(',');
                }
                writeString(names.get(i));
                out.write(':');
                write(node.get(names.get(i)));
            }
            out.write('}');
        }

        private void writeString(String value) {
            out.write('"');
            StringBuilder plain = new StringBuilder(value.length());
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                if (c == '"' || c == '\\') {
                    plain.append('\\').append(c);
                } else if (escapeControl && c < 0x20) {
                    plain.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                } else {
                    plain.append(c);
                }
            }
            out.writeBytes(plain.toString().getBytes(StandardCharsets.UTF_8));
            out.write('"');
        }
    }

    static int compareCodePoints(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }

    private static void rejectFloats(JsonNode node) {
        if (node.isFloatingPointNumber()) {
            throw malformed("floats are not allowed in TUF metadata: " + node);
        }
        if (node.isContainerNode()) {
            Iterator<JsonNode> children = node.elements();
            while (children.hasNext()) {
                rejectFloats(children.next());
            }
        }
    }

    private static UpdateRefusedException malformed(String message) {
        return new UpdateRefusedException(UpdateRefusalReason.MALFORMED_METADATA, message);
    }
}
