package io.tsunagu.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tsunagu.protocol.Vin;
import io.tsunagu.protocol.telemetry.Sample;
import io.tsunagu.protocol.telemetry.SignalValue;
import io.tsunagu.server.twin.DeltaEntry;
import io.tsunagu.server.twin.Twin;
import io.tsunagu.server.twin.TwinStore;
import io.tsunagu.server.twin.TwinValue;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TwinJsonTest {
    static final Vin CAR = Vin.of("WVWZZZ1JZXW000001");
    final ObjectMapper mapper = new ObjectMapper();
    final TwinJson json = new TwinJson(mapper.getFactory());

    @Test
    void rendersEveryValueKindDesiredAndDeltaInPathOrder() throws Exception {
        Twin twin = new Twin(
                CAR,
                true,
                Optional.of(Instant.ofEpochMilli(1_700_000_000_123L)),
                Optional.of(Instant.ofEpochMilli(1_700_000_000_000L)),
                Map.of(
                        "Vehicle.Speed", new TwinValue(new SignalValue.Num(42.5), 10),
                        "Vehicle.Powertrain.TractionBattery.StateOfCharge.Current",
                                new TwinValue(new SignalValue.Num(80), 11),
                        "Vehicle.IsMoving", new TwinValue(new SignalValue.Bool(true), 12),
                        "Vehicle.VehicleIdentification.Brand", new TwinValue(new SignalValue.Text("Tsu"), 13),
                        "Vehicle.Cabin.Tags", new TwinValue(new SignalValue.TextList(List.of("a", "b")), 14),
                        "Vehicle.Cabin.Temps", new TwinValue(new SignalValue.NumList(List.of(20.0, 21.5)), 15)),
                Map.of("Vehicle.Cabin.Setpoint", new TwinValue(new SignalValue.Num(22), 16)),
                Map.of(
                        "Vehicle.Cabin.Setpoint",
                        new DeltaEntry(
                                new TwinValue(new SignalValue.Num(22), 16),
                                Optional.of(new TwinValue(new SignalValue.Num(19.5), 9)))));

        JsonNode out = mapper.readTree(json.render(CAR, Optional.of(twin)));

        assertThat(out).isEqualTo(mapper.readTree("""
                {"vin": "WVWZZZ1JZXW000001", "online": true,
                 "lastSeen": "2023-11-14T22:13:20.123Z", "connectedSince": "2023-11-14T22:13:20Z",
                 "reported": {
                   "Vehicle.Cabin.Tags": {"value": ["a", "b"], "ts": 14},
                   "Vehicle.Cabin.Temps": {"value": [20, 21.5], "ts": 15},
                   "Vehicle.IsMoving": {"value": true, "ts": 12},
                   "Vehicle.Powertrain.TractionBattery.StateOfCharge.Current": {"value": 80, "ts": 11},
                   "Vehicle.Speed": {"value": 42.5, "ts": 10},
                   "Vehicle.VehicleIdentification.Brand": {"value": "Tsu", "ts": 13}},
                 "desired": {"Vehicle.Cabin.Setpoint": {"value": 22, "ts": 16}},
                 "delta": {"Vehicle.Cabin.Setpoint": {"desired": 22, "reported": 19.5}}}
                """));
        assertThat(out.path("reported").fieldNames())
                .toIterable()
                .containsExactly(
                        "Vehicle.Cabin.Tags",
                        "Vehicle.Cabin.Temps",
                        "Vehicle.IsMoving",
                        "Vehicle.Powertrain.TractionBattery.StateOfCharge.Current",
                        "Vehicle.Speed",
                        "Vehicle.VehicleIdentification.Brand");
        assertThat(out.path("reported")
                        .path("Vehicle.Powertrain.TractionBattery.StateOfCharge.Current")
                        .path("value")
                        .isIntegralNumber())
                .as("an integral value renders without a fraction")
                .isTrue();
    }

    @Test
    void anUnchangedTwinReusesItsBytesAndAChangeIsVisibleToTheNextRead() throws Exception {
        TwinStore twins = new TwinStore();
        twins.apply(CAR, List.of(new Sample(CAR, 1_000, 1, "Vehicle.Speed", new SignalValue.Num(10))));
        byte[] first = json.render(CAR, twins.get(CAR));

        byte[] again = json.render(CAR, twins.get(CAR));
        twins.apply(CAR, List.of(new Sample(CAR, 2_000, 2, "Vehicle.Speed", new SignalValue.Num(20))));
        byte[] changed = json.render(CAR, twins.get(CAR));

        assertThat(again).isSameAs(first);
        assertThat(mapper.readTree(changed).path("reported").path("Vehicle.Speed"))
                .isEqualTo(mapper.readTree("{\"value\": 20, \"ts\": 2000}"));
        assertThat(json.cachedCars()).isEqualTo(1);
    }

    @Test
    void aCarThatNeverReportedRendersOfflineWithEmptyMaps() throws Exception {
        JsonNode out = mapper.readTree(json.render(CAR, Optional.empty()));

        assertThat(out).isEqualTo(mapper.readTree("""
                {"vin": "WVWZZZ1JZXW000001", "online": false, "lastSeen": null,
                 "reported": {}, "desired": {}, "delta": {}}
                """));
    }

    @Test
    void anOfflineCarHasNoConnectedSinceAndADeltaWithoutReportedValue() throws Exception {
        Twin twin = new Twin(
                CAR,
                false,
                Optional.empty(),
                Optional.empty(),
                Map.of(),
                Map.of("Vehicle.Cabin.Setpoint", new TwinValue(new SignalValue.Num(22), 16)),
                Map.of(
                        "Vehicle.Cabin.Setpoint",
                        new DeltaEntry(new TwinValue(new SignalValue.Num(22), 16), Optional.empty())));

        JsonNode out = mapper.readTree(json.render(CAR, Optional.of(twin)));

        assertThat(out.has("connectedSince")).isFalse();
        assertThat(out.path("lastSeen").isNull()).isTrue();
        assertThat(out.path("delta")).isEqualTo(mapper.readTree("{\"Vehicle.Cabin.Setpoint\": {\"desired\": 22}}"));
    }

    @Test
    void rendersTheSameBytesAsThePreviousSerializationForRealisticTwins() {
        Random random = new Random(20261201);
        for (int i = 0; i < 200; i++) {
            Twin twin = realisticTwin(random);

            assertThat(new String(json.render(CAR, Optional.of(twin)), StandardCharsets.UTF_8))
                    .as("twin %d", i)
                    .isEqualTo(new String(
                            PreviousTwinJson.write(mapper.getFactory(), CAR, Optional.of(twin)),
                            StandardCharsets.UTF_8));
        }
        assertThat(json.render(CAR, Optional.empty()))
                .isEqualTo(PreviousTwinJson.write(mapper.getFactory(), CAR, Optional.empty()));
    }

    /**
     * A car's twin as the fleet reports it: twenty signals of every kind (integral, fractional, negative, large and
     * tiny numbers, booleans, text with quotes, escapes, control and non-ASCII characters, lists), desired values
     * with and without a reported counterpart, sample times with and without milliseconds, online or not.
     */
    private static Twin realisticTwin(Random random) {
        Map<String, TwinValue> reported = new HashMap<>();
        String[] numbers = {
            "Vehicle.Speed",
            "Vehicle.Powertrain.TractionBattery.StateOfCharge.Current",
            "Vehicle.Powertrain.TractionBattery.CurrentVoltage",
            "Vehicle.CurrentLocation.Latitude",
            "Vehicle.CurrentLocation.Longitude",
            "Vehicle.Cabin.HVAC.AmbientAirTemperature",
            "Vehicle.TraveledDistance",
            "Vehicle.Powertrain.Range",
            "Vehicle.Chassis.Axle.Row1.Wheel.Left.Tire.Pressure",
            "Vehicle.Acceleration.Longitudinal",
            "Vehicle.Exterior.AirTemperature",
            "Vehicle.Powertrain.TractionBattery.Charging.ChargeLimit"
        };
        long baseMs = 1_764_600_000_000L + random.nextInt(86_400_000);
        for (String path : numbers) {
            reported.put(path, new TwinValue(new SignalValue.Num(number(random)), sampleTime(random, baseMs)));
        }
        reported.put("Vehicle.IsMoving", new TwinValue(new SignalValue.Bool(random.nextBoolean()), baseMs));
        reported.put(
                "Vehicle.Powertrain.TractionBattery.Charging.IsCharging",
                new TwinValue(new SignalValue.Bool(random.nextBoolean()), sampleTime(random, baseMs)));
        reported.put("Vehicle.Cabin.Door.Row1.DriverSide.IsLocked", new TwinValue(new SignalValue.Bool(true), baseMs));
        reported.put(
                "Vehicle.VehicleIdentification.Brand",
                new TwinValue(new SignalValue.Text(text(random)), sampleTime(random, baseMs)));
        reported.put(
                "Vehicle.Powertrain.TractionBattery.Charging.ChargePlugType",
                new TwinValue(new SignalValue.Text("IEC_TYPE_2_AC"), baseMs));
        reported.put(
                "Vehicle.Cabin.Infotainment.Media.Played.Track",
                new TwinValue(new SignalValue.Text(text(random)), baseMs));
        reported.put(
                "Vehicle.Cabin.Tags", new TwinValue(new SignalValue.TextList(List.of(text(random), "", "b")), baseMs));
        reported.put(
                "Vehicle.Cabin.Seat.Temperatures",
                new TwinValue(new SignalValue.NumList(List.of(number(random), 21.5, -0.0, 3.0)), baseMs));
        Map<String, TwinValue> desired = new HashMap<>();
        Map<String, DeltaEntry> delta = new HashMap<>();
        TwinValue limit = new TwinValue(new SignalValue.Num(80), baseMs + 5);
        desired.put("Vehicle.Powertrain.TractionBattery.Charging.ChargeLimit", limit);
        delta.put(
                "Vehicle.Powertrain.TractionBattery.Charging.ChargeLimit",
                new DeltaEntry(
                        limit, Optional.of(reported.get("Vehicle.Powertrain.TractionBattery.Charging.ChargeLimit"))));
        TwinValue setpoint = new TwinValue(new SignalValue.Num(21.5), baseMs + 7);
        desired.put("Vehicle.Cabin.HVAC.Station.Row1.Driver.Temperature", setpoint);
        delta.put("Vehicle.Cabin.HVAC.Station.Row1.Driver.Temperature", new DeltaEntry(setpoint, Optional.empty()));
        TwinValue locked = new TwinValue(new SignalValue.Bool(true), baseMs + 9);
        desired.put("Vehicle.Cabin.Door.Row1.DriverSide.IsLocked", locked);
        boolean online = random.nextBoolean();
        long lastSeenMs = baseMs + random.nextInt(3) * 1_000 + (random.nextBoolean() ? 0 : random.nextInt(1_000));
        return new Twin(
                CAR,
                online,
                Optional.of(Instant.ofEpochMilli(lastSeenMs)),
                online ? Optional.of(Instant.ofEpochMilli(baseMs - random.nextInt(10_000))) : Optional.empty(),
                reported,
                desired,
                delta);
    }

    private static double number(Random random) {
        return switch (random.nextInt(7)) {
            case 0 -> random.nextInt(200);
            case 1 -> Math.round(random.nextDouble() * 10_000) / 100.0;
            case 2 -> -random.nextDouble() * 40;
            case 3 -> random.nextDouble() * 1e-7;
            case 4 -> 1e15 + random.nextInt(1_000);
            case 5 -> random.nextLong() / 1e3;
            default -> random.nextDouble() * 180 - 90;
        };
    }

    private static long sampleTime(Random random, long baseMs) {
        return baseMs - random.nextInt(2_000);
    }

    private static String text(Random random) {
        String[] texts = {
            "Tsu",
            "say \"hi\"",
            "back\\slash",
            "tab\there\nline",
            "\u0001ctl",
            "M\u00fcller \u2615 \u7e4b\u3050 \ud83d\ude97",
            "</script>"
        };
        return texts[random.nextInt(texts.length)];
    }
}
