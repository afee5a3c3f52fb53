package io.tsunagu.server.api;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import io.tsunagu.protocol.Vin;
import io.tsunagu.protocol.telemetry.SignalValue;
import io.tsunagu.server.twin.DeltaEntry;
import io.tsunagu.server.twin.Twin;
import io.tsunagu.server.twin.TwinValue;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * The twin document as {@link TwinJson} wrote it before the sixth 12-01 session (Jackson's generator with string
 * field names and {@code Instant.toString}), kept as the oracle the current renderer's bytes must equal.
 */
final class PreviousTwinJson {
    private PreviousTwinJson() {}

    static byte[] write(JsonFactory factory, Vin vin, Optional<Twin> twin) {
        ByteArrayBuilder out = new ByteArrayBuilder(1024);
        try (JsonGenerator json = factory.createGenerator(out)) {
            json.writeStartObject();
            json.writeStringField("vin", vin.value());
            json.writeBooleanField("online", twin.map(Twin::online).orElse(false));
            json.writeFieldName("lastSeen");
            writeInstantOrNull(json, twin.flatMap(Twin::lastSeen));
            Optional<Instant> since = twin.flatMap(Twin::connectedSince);
            if (since.isPresent()) {
                json.writeStringField("connectedSince", since.get().toString());
            }
            writeValues(json, "reported", twin.map(Twin::reported).orElse(Map.of()));
            writeValues(json, "desired", twin.map(Twin::desired).orElse(Map.of()));
            writeDelta(json, twin.map(Twin::delta).orElse(Map.of()));
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot render the twin of " + vin, e);
        }
        return out.toByteArray();
    }

    private static void writeInstantOrNull(JsonGenerator json, Optional<Instant> at) throws IOException {
        if (at.isPresent()) {
            json.writeString(at.get().toString());
        } else {
            json.writeNull();
        }
    }

    private static void writeValues(JsonGenerator json, String field, Map<String, TwinValue> values)
            throws IOException {
        json.writeObjectFieldStart(field);
        for (Map.Entry<String, TwinValue> e : values.entrySet()) {
            json.writeObjectFieldStart(e.getKey());
            json.writeFieldName("value");
            writeValue(json, e.getValue().value());
            json.writeNumberField("ts", e.getValue().tsMs());
            json.writeEndObject();
        }
        json.writeEndObject();
    }

    private static void writeDelta(JsonGenerator json, Map<String, DeltaEntry> delta) throws IOException {
        json.writeObjectFieldStart("delta");
        for (Map.Entry<String, DeltaEntry> e : delta.entrySet()) {
            json.writeObjectFieldStart(e.getKey());
            json.writeFieldName("desired");
            writeValue(json, e.getValue().desired().value());
            Optional<TwinValue> reported = e.getValue().reported();
            if (reported.isPresent()) {
                json.writeFieldName("reported");
                writeValue(json, reported.get().value());
            }
            json.writeEndObject();
        }
        json.writeEndObject();
    }

    /** The value as {@link JsonValues#of} renders it. */
    private static void writeValue(JsonGenerator json, SignalValue value) throws IOException {
        switch (value) {
            case SignalValue.Num n -> writeNumber(json, n.value());
            case SignalValue.Bool b -> json.writeBoolean(b.value());
            case SignalValue.Text t -> json.writeString(t.value());
            case SignalValue.TextList l -> {
                json.writeStartArray();
                for (String s : l.values()) {
                    json.writeString(s);
                }
                json.writeEndArray();
            }
            case SignalValue.NumList l -> {
                json.writeStartArray();
                for (double d : l.values()) {
                    writeNumber(json, d);
                }
                json.writeEndArray();
            }
        }
    }

    /** Integral values render without a fraction, like {@link JsonValues#number}. */
    private static void writeNumber(JsonGenerator json, double value) throws IOException {
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            json.writeNumber((long) value);
        } else {
            json.writeNumber(value);
        }
    }
}
