package io.tsunagu.bench.load;

import com.google.protobuf.ByteString;
import io.tsunagu.protocol.telemetry.RawFrame;
import io.tsunagu.protocol.telemetry.RawFrame.RawSignal;
import io.tsunagu.protocol.telemetry.TelemetryEncoder;
import io.tsunagu.protocol.wire.SignalValue;
import io.tsunagu.protocol.wire.TelemetryBatch;
import io.tsunagu.protocol.wire.TelemetryFrame;
import java.util.ArrayList;
import java.util.List;

/**
 * One telemetry message of the bench: a protobuf {@code TelemetryBatch} with one frame of {@value #SIGNALS} VSS 6.0
 * signals an electric car really sends (names and value types as the simulator's), stamped now with the car's next
 * sequence number so that every message is new to the server's de-duplication.
 *
 * <p>The generator shares the two cores with the server, so building a message must be cheap: encoding it through
 * {@link TelemetryEncoder} from {@link RawFrame}s was 24 % of the generator's CPU (mostly the UTF-8 encoding of the 20
 * paths, again for every message). Here the signals whose value never changes are protobuf messages built once (they
 * keep their encoded size), and the five that change per message get their path as bytes encoded once; the bytes on
 * the wire are the same as {@link TelemetryEncoder#toProtobuf} writes for {@link #frame} (a test holds them equal).
 */
final class BenchPayload {
    static final int SIGNALS = 20;
    private static final String BATTERY = "Vehicle.Powertrain.TractionBattery.";
    /** Indexes in {@link #signals} of the values that change with the sequence number. */
    private static final int SPEED = 0;

    private static final int LATITUDE = 2;
    private static final int DISTANCE = 5;
    private static final int SOC = 8;
    private static final int CURRENT = 12;

    private final List<SignalValue> fixed;
    private final List<ByteString> paths;

    BenchPayload() {
        List<RawSignal> template = signals(0);
        List<SignalValue> built = new ArrayList<>(SIGNALS);
        List<ByteString> encodedPaths = new ArrayList<>(SIGNALS);
        for (RawSignal signal : template) {
            encodedPaths.add(ByteString.copyFromUtf8(signal.path()));
            built.add(wire(signal));
        }
        this.fixed = List.copyOf(built);
        this.paths = List.copyOf(encodedPaths);
    }

    byte[] encode(long seq) {
        return encode(System.currentTimeMillis(), seq);
    }

    /** The message for {@code seq} sampled at {@code tsMs}: {@link #frame} in the protobuf form. */
    byte[] encode(long tsMs, long seq) {
        double wobble = wobble(seq);
        TelemetryFrame.Builder frame = TelemetryFrame.newBuilder().setTsMs(tsMs).setSeq(seq);
        for (int i = 0; i < SIGNALS; i++) {
            switch (i) {
                case SPEED -> frame.addSignals(number(i, 42.5 + wobble));
                case LATITUDE -> frame.addSignals(number(i, 48.137154 + wobble / 1_000));
                case DISTANCE -> frame.addSignals(integer(i, 12_345_678L + seq));
                case SOC -> frame.addSignals(number(i, 77.5 - wobble));
                case CURRENT -> frame.addSignals(number(i, -45.3 - wobble));
                default -> frame.addSignals(fixed.get(i));
            }
        }
        return TelemetryBatch.newBuilder().addFrames(frame).build().toByteArray();
    }

    /** What {@link #encode(long, long)} sends, as the frame {@link TelemetryEncoder} would encode to the same bytes. */
    static RawFrame frame(long tsMs, long seq) {
        return new RawFrame(tsMs, seq, signals(seq));
    }

    private SignalValue number(int index, double value) {
        return SignalValue.newBuilder()
                .setPathBytes(paths.get(index))
                .setDoubleValue(value)
                .build();
    }

    private SignalValue integer(int index, long value) {
        return SignalValue.newBuilder()
                .setPathBytes(paths.get(index))
                .setIntValue(value)
                .build();
    }

    private static SignalValue wire(RawSignal signal) {
        SignalValue.Builder value = SignalValue.newBuilder().setPath(signal.path());
        switch (signal.value()) {
            case Double d -> value.setDoubleValue(d);
            case Long l -> value.setIntValue(l);
            case Boolean b -> value.setBoolValue(b);
            default -> throw new IllegalStateException("no bench signal has a " + signal.value());
        }
        return value.build();
    }

    private static double wobble(long seq) {
        return (seq % 10) / 10.0;
    }

    private static List<RawSignal> signals(long seq) {
        double wobble = wobble(seq);
        return List.of(
                new RawSignal("Vehicle.Speed", 42.5 + wobble),
                new RawSignal("Vehicle.IsMoving", true),
                new RawSignal("Vehicle.CurrentLocation.Latitude", 48.137154 + wobble / 1_000),
                new RawSignal("Vehicle.CurrentLocation.Longitude", 11.576124),
                new RawSignal("Vehicle.CurrentLocation.Heading", 90.0),
                new RawSignal("Vehicle.TraveledDistance", 12_345_678L + seq),
                new RawSignal("Vehicle.Exterior.AirTemperature", 18.5),
                new RawSignal("Vehicle.Cabin.HVAC.AmbientAirTemperature", 21.0),
                new RawSignal(BATTERY + "StateOfCharge.Current", 77.5 - wobble),
                new RawSignal(BATTERY + "StateOfCharge.Displayed", 78.0),
                new RawSignal(BATTERY + "NetCapacity", 75L),
                new RawSignal(BATTERY + "CurrentVoltage", 396.2),
                new RawSignal(BATTERY + "CurrentCurrent", -45.3 - wobble),
                new RawSignal(BATTERY + "CurrentPower", -17_948.0),
                new RawSignal(BATTERY + "Temperature.Average", 28.4),
                new RawSignal(BATTERY + "Range", 310_000L),
                new RawSignal(BATTERY + "Charging.IsCharging", false),
                new RawSignal(BATTERY + "Charging.ChargeLimit", 80L),
                new RawSignal("Vehicle.Chassis.Axle.Row1.Wheel.Left.Tire.Pressure", 250L),
                new RawSignal("Vehicle.Powertrain.Range", 310_000L));
    }
}
