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
import java.util.concurrent.ConcurrentHashMap;

/**
 * Renders {@code GET /api/v1/vehicles/{vin}/twin} straight to bytes with Jackson's streaming generator: the document
 * the tree model built before (same fields, order and number forms, see {@link JsonValues}), without a tree of nodes
 * per request. {@code {"vin", "online", "lastSeen", "connectedSince"?, "reported", "desired", "delta"}}.
 *
 * <p>The bytes are kept per car with the snapshot they were rendered from: {@link io.tsunagu.server.twin.TwinStore}
 * hands out the same snapshot instance until the twin changes, so a read of an unchanged twin reuses the bytes and a
 * change is visible to the next read. At most {@value #MAX_CACHED_CARS} cars are kept (beyond, the cache starts
 * over). Thread-safe.
 */
final class TwinJson {
    static final int MAX_CACHED_CARS = 20_000;

    private record Rendered(Twin twin, byte[] json) {}

    private final JsonFactory factory;
    private final ConcurrentHashMap<Vin, Rendered> rendered = new ConcurrentHashMap<>();

    TwinJson(JsonFactory factory) {
        this.factory = factory;
    }

    /**
     * The twin of {@code vin}, or the empty document of a car that never reported ({@code twin} empty). The caller
     * must not change the returned array.
     */
    byte[] render(Vin vin, Optional<Twin> twin) {
        if (twin.isEmpty()) {
            return write(vin, twin);
        }
        Rendered known = rendered.get(vin);
        if (known != null && known.twin() == twin.get()) {
            return known.json();
        }
        byte[] json = write(vin, twin);
        if (rendered.size() >= MAX_CACHED_CARS) {
            rendered.clear();
        }
        rendered.put(vin, new Rendered(twin.get(), json));
        return json;
    }

    int cachedCars() {
        return rendered.size();
    }

    private byte[] write(Vin vin, Optional<Twin> twin) {
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
    static void writeValue(JsonGenerator json, SignalValue value) throws IOException {
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
