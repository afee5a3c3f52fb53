package io.tsunagu.bench.load;

import io.tsunagu.protocol.telemetry.RawFrame;
import io.tsunagu.protocol.telemetry.RawFrame.RawSignal;
import io.tsunagu.protocol.telemetry.TelemetryEncoder;
import java.util.List;

/**
 * One telemetry message of the bench: a protobuf {@code TelemetryBatch} with one frame of {@value #SIGNALS} VSS 6.0
 * signals an electric car really sends (names and value types as the simulator's), stamped now with the car's next
 * sequence number so that every message is new to the server's de-duplication.
 */
final class BenchPayload {
    static final int SIGNALS = 20;
    private static final String BATTERY = "Vehicle.Powertrain.TractionBattery.";

    private final TelemetryEncoder encoder = new TelemetryEncoder();

    byte[] encode(long seq) {
        return encoder.toProtobuf(List.of(new RawFrame(System.currentTimeMillis(), seq, signals(seq))));
    }

    private static List<RawSignal> signals(long seq) {
        double wobble = (seq % 10) / 10.0;
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
