package io.tsunagu.protocol.vss;

import static org.assertj.core.api.Assertions.assertThat;

import io.tsunagu.protocol.telemetry.RejectReason;
import io.tsunagu.protocol.telemetry.SignalValue;
import io.tsunagu.protocol.vss.ValidationResult.Accepted;
import io.tsunagu.protocol.vss.ValidationResult.Rejected;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class SignalCatalogValidationTest {
    private static final SignalCatalog VSS6 = SignalCatalog.vss6();
    private static final String SOC = "Vehicle.Powertrain.TractionBattery.StateOfCharge.Current";
    private static final String POWER_LEVEL = "Vehicle.ADAS.PowerOptimizeLevel"; // uint8, 0..10
    private static final String GEAR = "Vehicle.Powertrain.Transmission.CurrentGear"; // int8
    private static final String HEIGHT = "Vehicle.Cabin.Seat.Row1.DriverSide.Height"; // uint16, mm, min 0
    private static final String AUTONOMY = "Vehicle.ADAS.ActiveAutonomyLevel";
    private static final String PROJECTION = "Vehicle.Cabin.Infotainment.SmartphoneProjection.SupportedMode";

    @Test
    void acceptsValuesOfEachDatatype() {
        assertAccepted("Vehicle.Speed", 42.5, SignalValue.of(42.5));
        assertAccepted("Vehicle.Speed", 42L, SignalValue.of(42.0));
        assertAccepted(POWER_LEVEL, 7L, SignalValue.of(7.0));
        assertAccepted(POWER_LEVEL, 7.0, SignalValue.of(7.0));
        assertAccepted(GEAR, -1L, SignalValue.of(-1.0));
        assertAccepted("Vehicle.ADAS.ABS.IsEnabled", true, SignalValue.of(true));
        assertAccepted("Vehicle.Body.BodyType", "SUV", SignalValue.of("SUV"));
        assertAccepted(AUTONOMY, "SAE_2", SignalValue.of("SAE_2"));
        assertAccepted(SOC, 100.0, SignalValue.of(100.0));
        assertAccepted(SOC, 0L, SignalValue.of(0.0));
    }

    @Test
    void acceptsArraysElementwise() {
        assertAccepted(
                "Vehicle.Powertrain.TractionBattery.CellVoltage.CellVoltages",
                List.of(3.7, 3.71, 4L),
                new SignalValue.NumList(List.of(3.7, 3.71, 4.0)));
        assertAccepted("Vehicle.Cabin.SeatPosCount", List.of(2L, 3L), new SignalValue.NumList(List.of(2.0, 3.0)));
        assertAccepted(
                PROJECTION,
                List.of("ANDROID_AUTO", "APPLE_CARPLAY"),
                new SignalValue.TextList(List.of("ANDROID_AUTO", "APPLE_CARPLAY")));
        assertAccepted(PROJECTION, List.of(), new SignalValue.TextList(List.of()));
    }

    @Test
    void rejectsSampleForUnknownSignal() {
        assertRejected(
                "Vehicle.Warp.Factor",
                9.0,
                RejectReason.UNKNOWN_SIGNAL,
                "Vehicle.Warp.Factor: unknown signal (not in the catalog)");
    }

    @Test
    void rejectsABranchPathAsUnknownSignal() {
        assertRejected("Vehicle.Cabin", 1.0, RejectReason.UNKNOWN_SIGNAL, "Vehicle.Cabin: is a branch, not a signal");
    }

    @Test
    void rejectsValuesOfTheWrongDatatype() {
        assertRejected(
                "Vehicle.Speed",
                "fast",
                RejectReason.WRONG_DATATYPE,
                "Vehicle.Speed: expected float, got string 'fast'");
        assertRejected(
                POWER_LEVEL, 1.5, RejectReason.WRONG_DATATYPE, POWER_LEVEL + ": expected an integer (uint8), got 1.5");
        assertRejected(
                POWER_LEVEL,
                300L,
                RejectReason.WRONG_DATATYPE,
                POWER_LEVEL + ": value 300 does not fit datatype uint8");
        assertRejected(
                POWER_LEVEL,
                300.0,
                RejectReason.WRONG_DATATYPE,
                POWER_LEVEL + ": value 300.0 does not fit datatype uint8");
        assertRejected(HEIGHT, -1L, RejectReason.WRONG_DATATYPE, HEIGHT + ": value -1 does not fit datatype uint16");
        assertRejected(GEAR, 128L, RejectReason.WRONG_DATATYPE, GEAR + ": value 128 does not fit datatype int8");
        assertRejected(
                "Vehicle.ADAS.ABS.IsEnabled",
                1L,
                RejectReason.WRONG_DATATYPE,
                "Vehicle.ADAS.ABS.IsEnabled: expected boolean, got integer 1");
        assertRejected(
                "Vehicle.ADAS.ABS.IsEnabled",
                "true",
                RejectReason.WRONG_DATATYPE,
                "Vehicle.ADAS.ABS.IsEnabled: expected boolean, got string 'true'");
        assertRejected(
                "Vehicle.Body.BodyType",
                5L,
                RejectReason.WRONG_DATATYPE,
                "Vehicle.Body.BodyType: expected string, got integer 5");
        assertRejected(
                "Vehicle.Speed",
                Double.NaN,
                RejectReason.WRONG_DATATYPE,
                "Vehicle.Speed: expected a finite float, got NaN");
        assertRejected(
                "Vehicle.Speed",
                1e300,
                RejectReason.WRONG_DATATYPE,
                "Vehicle.Speed: value 1.0E300 does not fit datatype float");
    }

    @Test
    void rejectsScalarForArrayAndArrayForScalar() {
        assertRejected(
                PROJECTION,
                "ANDROID_AUTO",
                RejectReason.WRONG_DATATYPE,
                PROJECTION + ": expected an array of string, got string 'ANDROID_AUTO'");
        assertRejected(
                "Vehicle.Speed",
                List.of(1.0),
                RejectReason.WRONG_DATATYPE,
                "Vehicle.Speed: expected float, got an array of 1 elements");
    }

    @Test
    void rejectsValuesOutsideTheSignalRangeNamingValueBoundsAndUnit() {
        assertRejected(
                SOC,
                100.5,
                RejectReason.OUT_OF_RANGE,
                SOC + ": value 100.5 percent is out of range (min 0 percent, max 100 percent)");
        assertRejected(
                SOC,
                -3L,
                RejectReason.OUT_OF_RANGE,
                SOC + ": value -3 percent is out of range (min 0 percent, max 100 percent)");
        assertRejected(
                POWER_LEVEL,
                11L,
                RejectReason.OUT_OF_RANGE,
                POWER_LEVEL + ": value 11 is out of range (min 0, max 10)");
    }

    @Test
    void rejectsValuesThatAreNotAllowedListingTheAllowedOnes() {
        Rejected rejected = (Rejected) VSS6.validate(AUTONOMY, "SAE_6");
        assertThat(rejected.code()).isEqualTo(RejectReason.NOT_ALLOWED_VALUE);
        assertThat(rejected.message())
                .isEqualTo(
                        AUTONOMY + ": value 'SAE_6' is not one of the allowed values [SAE_0, SAE_1, SAE_2_DISENGAGING,"
                                + " SAE_2, SAE_3_DISENGAGING, SAE_3, SAE_4_DISENGAGING, SAE_4, SAE_5_DISENGAGING, SAE_5]");
    }

    @Test
    void checksArrayElementsNamingTheIndex() {
        assertRejected(
                PROJECTION,
                List.of("ANDROID_AUTO", "WINDOWS_CE"),
                RejectReason.NOT_ALLOWED_VALUE,
                PROJECTION + "[1]: value 'WINDOWS_CE' is not one of the allowed values [ANDROID_AUTO, APPLE_CARPLAY,"
                        + " MIRROR_LINK, OTHER]");
        assertRejected(
                "Vehicle.Cabin.SeatPosCount",
                List.of(2L, 256L),
                RejectReason.WRONG_DATATYPE,
                "Vehicle.Cabin.SeatPosCount[1]: value 256 does not fit datatype uint8");
        assertRejected(
                "Vehicle.Cabin.SeatPosCount",
                Arrays.asList(2L, null),
                RejectReason.WRONG_DATATYPE,
                "Vehicle.Cabin.SeatPosCount[1]: expected uint8, got null");
    }

    @Test
    void numericAllowedValuesAndWideIntegersAreChecked() {
        SignalCatalog catalog = SignalCatalog.load(SignalCatalogTest.json("""
                {"A": {"type": "branch", "children": {
                  "Mode": {"type": "actuator", "datatype": "uint8", "allowed": [1, 2, 4]},
                  "Odo": {"type": "sensor", "datatype": "uint64"},
                  "Big": {"type": "sensor", "datatype": "int64"},
                  "Flags": {"type": "sensor", "datatype": "boolean[]"}}}}
                """));
        assertAccepted(catalog, "A.Mode", 4L, SignalValue.of(4.0));
        assertThat(catalog.validate("A.Mode", 3L))
                .isEqualTo(new Rejected(
                        RejectReason.NOT_ALLOWED_VALUE, "A.Mode: value 3 is not one of the allowed values [1, 2, 4]"));
        assertAccepted(catalog, "A.Odo", Long.MAX_VALUE, SignalValue.of((double) Long.MAX_VALUE));
        assertAccepted(catalog, "A.Odo", 0x1p63, SignalValue.of(0x1p63));
        assertThat(catalog.validate("A.Odo", 0x1p64)).isInstanceOf(Rejected.class);
        assertAccepted(catalog, "A.Big", Long.MIN_VALUE, SignalValue.of((double) Long.MIN_VALUE));
        assertThat(catalog.validate("A.Big", 0x1p63))
                .isEqualTo(new Rejected(
                        RejectReason.WRONG_DATATYPE, "A.Big: value 9.223372036854776E18 does not fit datatype int64"));
        assertThat(catalog.validate("A.Flags", List.of(true)))
                .isEqualTo(new Rejected(RejectReason.WRONG_DATATYPE, "A.Flags: boolean[] values are not supported"));
    }

    @Test
    void rejectReasonCodesAreStableLowerCase() {
        assertThat(RejectReason.UNKNOWN_SIGNAL.code()).isEqualTo("unknown_signal");
        assertThat(RejectReason.MALFORMED_PAYLOAD.code()).isEqualTo("malformed_payload");
        assertThat(RejectReason.NOT_ALLOWED_VALUE.code()).isEqualTo("not_allowed_value");
        assertThat(Arrays.stream(RejectReason.values()).map(RejectReason::code))
                .containsExactly(
                        "malformed_payload",
                        "unknown_signal",
                        "wrong_datatype",
                        "out_of_range",
                        "not_allowed_value",
                        "payload_too_large",
                        "rate_limited",
                        "topic_not_allowed",
                        "duplicate");
    }

    private static void assertAccepted(String path, Object raw, SignalValue expected) {
        assertAccepted(VSS6, path, raw, expected);
    }

    @Test
    void anAcceptedValueCarriesTheCatalogsOwnInstanceOfItsPath() {
        String decoded = new String("Vehicle.Speed".toCharArray()); // as a decoder makes it: equal, not the same
        String catalogs = VSS6.find("Vehicle.Speed").orElseThrow().path();

        Accepted first = (Accepted) VSS6.validate(decoded, 42.5);
        Accepted again = (Accepted) VSS6.validate(new String(decoded.toCharArray()), 43.0);

        assertThat(first.path()).isEqualTo(decoded).isSameAs(catalogs).isSameAs(again.path());
        assertThat(((Accepted) VSS6.validate(PROJECTION, List.of("ANDROID_AUTO"))).path())
                .isSameAs(VSS6.find(PROJECTION).orElseThrow().path());
    }

    private static void assertAccepted(SignalCatalog catalog, String path, Object raw, SignalValue expected) {
        assertThat(catalog.validate(path, raw)).as("%s = %s", path, raw).isEqualTo(new Accepted(expected, path));
    }

    private static void assertRejected(String path, Object raw, RejectReason reason, String message) {
        assertThat(VSS6.validate(path, raw)).as("%s = %s", path, raw).isEqualTo(new Rejected(reason, message));
    }
}
