package io.tsunagu.server.api;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.SerializedString;
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

    // Field names encoded once (Jackson writes a SerializableString's prepared bytes as the same quoted name).
    private static final SerializableString VIN = new SerializedString("vin");
    private static final SerializableString ONLINE = new SerializedString("online");
    private static final SerializableString LAST_SEEN = new SerializedString("lastSeen");
    private static final SerializableString CONNECTED_SINCE = new SerializedString("connectedSince");
    private static final SerializableString REPORTED = new SerializedString("reported");
    private static final SerializableString DESIRED = new SerializedString("desired");
    private static final SerializableString DELTA = new SerializedString("delta");
    private static final SerializableString VALUE = new SerializedString("value");
    private static final SerializableString TS = new SerializedString("ts");

    private record Rendered(Twin twin, byte[] json) {}

    private final JsonFactory factory;
    private final FieldNames paths = new FieldNames();
    private final IsoInstants instants = new IsoInstants();
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
            json.writeFieldName(VIN);
            json.writeString(vin.value());
            json.writeFieldName(ONLINE);
            json.writeBoolean(twin.isPresent() && twin.get().online());
            json.writeFieldName(LAST_SEEN);
            Optional<Instant> lastSeen = twin.isPresent() ? twin.get().lastSeen() : Optional.empty();
            if (lastSeen.isPresent()) {
                json.writeString(instants.format(lastSeen.get()));
            } else {
                json.writeNull();
            }
            Optional<Instant> since = twin.isPresent() ? twin.get().connectedSince() : Optional.empty();
            if (since.isPresent()) {
                json.writeFieldName(CONNECTED_SINCE);
                json.writeString(instants.format(since.get()));
            }
            writeValues(json, REPORTED, twin.isPresent() ? twin.get().reported() : Map.of());
            writeValues(json, DESIRED, twin.isPresent() ? twin.get().desired() : Map.of());
            writeDelta(json, twin.isPresent() ? twin.get().delta() : Map.of());
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot render the twin of " + vin, e);
        }
        return out.toByteArray();
    }

    private void writeValues(JsonGenerator json, SerializableString field, Map<String, TwinValue> values)
            throws IOException {
        json.writeFieldName(field);
        json.writeStartObject();
        for (Map.Entry<String, TwinValue> e : values.entrySet()) {
            json.writeFieldName(paths.name(e.getKey()));
            json.writeStartObject();
            json.writeFieldName(VALUE);
            writeValue(json, e.getValue().value());
            json.writeFieldName(TS);
            json.writeNumber(e.getValue().tsMs());
            json.writeEndObject();
        }
        json.writeEndObject();
    }

    private void writeDelta(JsonGenerator json, Map<String, DeltaEntry> delta) throws IOException {
        json.writeFieldName(DELTA);
        json.writeStartObject();
        for (Map.Entry<String, DeltaEntry> e : delta.entrySet()) {
            json.writeFieldName(paths.name(e.getKey()));
            json.writeStartObject();
            json.writeFieldName(DESIRED);
            writeValue(json, e.getValue().desired().value());
            Optional<TwinValue> reported = e.getValue().reported();
            if (reported.isPresent()) {
                json.writeFieldName(REPORTED);
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
