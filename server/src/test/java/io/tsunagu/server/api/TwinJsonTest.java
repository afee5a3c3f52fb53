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
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
}
