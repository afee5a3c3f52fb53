package io.tsunagu.protocol.vss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SignalCatalogTest {
    private static final SignalCatalog VSS6 = SignalCatalog.vss6();

    @Test
    void bundledCatalogHasTheLeafSignalsOfVss6() {
        // Counted independently over the JSON tree: 490 sensors, 643 actuators, 130 attributes, 340 branches.
        assertThat(VSS6.size()).isEqualTo(1263);
        assertThat(VSS6.signals()).hasSize(1263);
        assertThat(VSS6.signals().stream().filter(s -> s.kind() == SignalKind.SENSOR))
                .hasSize(490);
        assertThat(VSS6.signals().stream().filter(s -> s.kind() == SignalKind.ACTUATOR))
                .hasSize(643);
        assertThat(VSS6.signals().stream().filter(s -> s.kind() == SignalKind.ATTRIBUTE))
                .hasSize(130);
    }

    @Test
    void vss6IsLoadedOnce() {
        assertThat(SignalCatalog.vss6()).isSameAs(VSS6);
    }

    @Test
    void vehicleSpeedIsAFloatSensorInKilometresPerHour() {
        SignalSpec speed = VSS6.find("Vehicle.Speed").orElseThrow();
        assertThat(speed.kind()).isEqualTo(SignalKind.SENSOR);
        assertThat(speed.datatype()).isEqualTo(VssDatatype.FLOAT);
        assertThat(speed.unit()).contains("km/h");
        assertThat(speed.min()).isEmpty();
        assertThat(speed.description()).isEqualTo("Vehicle speed.");
    }

    @Test
    void readsRangesAllowedValuesAndArrayTypes() {
        SignalSpec soc = VSS6.find("Vehicle.Powertrain.TractionBattery.StateOfCharge.Current")
                .orElseThrow();
        assertThat(soc.min()).isEqualTo(OptionalDouble.of(0));
        assertThat(soc.max()).isEqualTo(OptionalDouble.of(100));
        assertThat(soc.unit()).contains("percent");
        assertThat(VSS6.find("Vehicle.ADAS.ActiveAutonomyLevel").orElseThrow().allowed())
                .startsWith("SAE_0", "SAE_1")
                .hasSize(10);
        assertThat(VSS6.find("Vehicle.Cabin.SeatPosCount").orElseThrow().datatype())
                .isEqualTo(VssDatatype.UINT8_ARRAY);
        assertThat(VSS6.find("Vehicle.Body.BodyType").orElseThrow().kind()).isEqualTo(SignalKind.ATTRIBUTE);
    }

    @Test
    void branchesAreNotSignals() {
        assertThat(VSS6.find("Vehicle")).isEmpty();
        assertThat(VSS6.find("Vehicle.Cabin")).isEmpty();
        assertThat(VSS6.isBranch("Vehicle.Cabin")).isTrue();
        assertThat(VSS6.isBranch("Vehicle.Speed")).isFalse();
        assertThat(VSS6.signals()).noneMatch(s -> s.path().equals("Vehicle.Cabin"));
    }

    @Test
    void everyBundledDatatypeIsKnown() {
        assertThat(VSS6.signals())
                .extracting(SignalSpec::datatype)
                .contains(VssDatatype.BOOLEAN, VssDatatype.STRING_ARRAY, VssDatatype.FLOAT_ARRAY, VssDatatype.DOUBLE);
    }

    @Test
    void overlayAddsACustomSignalAndOverridesAMax() {
        SignalCatalog custom = VSS6.withOverlay(json("""
                {"Vehicle": {"children": {
                  "Private": {"type": "branch", "description": "OEM signals", "children": {
                    "Tsunagu": {"children": {
                      "Foo": {"type": "sensor", "datatype": "uint16", "unit": "mA", "max": 500, "description": "A foo."}}}}},
                  "Powertrain": {"children": {"TractionBattery": {"children": {"StateOfCharge": {"children": {
                    "Current": {"max": 90}}}}}}}}}}
                """));

        SignalSpec foo = custom.find("Vehicle.Private.Tsunagu.Foo").orElseThrow();
        assertThat(foo.kind()).isEqualTo(SignalKind.SENSOR);
        assertThat(foo.datatype()).isEqualTo(VssDatatype.UINT16);
        assertThat(foo.unit()).contains("mA");
        assertThat(foo.max()).isEqualTo(OptionalDouble.of(500));
        assertThat(custom.isBranch("Vehicle.Private.Tsunagu")).isTrue();

        SignalSpec soc = custom.find("Vehicle.Powertrain.TractionBattery.StateOfCharge.Current")
                .orElseThrow();
        assertThat(soc.max()).isEqualTo(OptionalDouble.of(90));
        assertThat(soc.min()).isEqualTo(OptionalDouble.of(0));
        assertThat(soc.unit()).contains("percent");
        assertThat(soc.datatype()).isEqualTo(VssDatatype.FLOAT);

        assertThat(custom.size()).isEqualTo(1264);
        assertThat(VSS6.size()).isEqualTo(1263);
        assertThat(VSS6.find("Vehicle.Powertrain.TractionBattery.StateOfCharge.Current")
                        .orElseThrow()
                        .max())
                .isEqualTo(OptionalDouble.of(100));
        assertThat(custom.validate("Vehicle.Powertrain.TractionBattery.StateOfCharge.Current", 95.0))
                .isInstanceOf(ValidationResult.Rejected.class);
        assertThat(custom.validate("Vehicle.Private.Tsunagu.Foo", 42L)).isInstanceOf(ValidationResult.Accepted.class);
    }

    @Test
    void overlayNullRemovesAnOptionalField() {
        SignalCatalog custom = VSS6.withOverlay(json("""
                {"Vehicle": {"children": {"ADAS": {"children": {"ActiveAutonomyLevel": {"allowed": null}}}}}}
                """));
        assertThat(custom.find("Vehicle.ADAS.ActiveAutonomyLevel").orElseThrow().allowed())
                .isEmpty();
    }

    @Test
    void overlayNewSignalWithoutTypeIsRejectedNamingTheNode() {
        assertThatThrownBy(() -> VSS6.withOverlay(json("""
                        {"Vehicle": {"children": {"Bar": {"datatype": "float"}}}}
                        """)))
                .isInstanceOf(InvalidCatalogException.class)
                .hasMessage("overlay: node 'Vehicle.Bar': field 'type' is missing")
                .extracting(e -> ((InvalidCatalogException) e).code())
                .isEqualTo("invalid_catalog");
    }

    @Test
    void overlayWithInvalidJsonIsRejectedWithItsLocation() {
        assertThatThrownBy(() -> VSS6.withOverlay(json("{\"Vehicle\": {\"children\": }")))
                .isInstanceOf(InvalidCatalogException.class)
                .hasMessageStartingWith("overlay: invalid JSON at line 1 column 26");
    }

    @Test
    void overlayCannotTurnABranchIntoASignal() {
        assertThatThrownBy(() -> VSS6.withOverlay(json("""
                        {"Vehicle": {"children": {"Cabin": {"type": "sensor", "datatype": "float"}}}}
                        """)))
                .isInstanceOf(InvalidCatalogException.class)
                .hasMessage("overlay: node 'Vehicle.Cabin': is a branch in the catalog and cannot become a sensor");
    }

    @Test
    void malformedCatalogsAreRejectedNamingNodeAndProblem() {
        assertInvalid("[]", "catalog: expected a JSON object of root nodes such as {\"Vehicle\": ...}");
        assertInvalid(
                "{\"A\": {\"type\": \"branch\", \"children\": {\"B\": {\"type\": \"sensor\"}}}}",
                "catalog: node 'A.B': field 'datatype' is missing");
        assertInvalid(
                "{\"A\": {\"type\": \"sensor\", \"datatype\": \"struct.Foo\"}}",
                "catalog: node 'A': unsupported datatype 'struct.Foo'");
        assertInvalid(
                "{\"A\": {\"type\": \"sensor\", \"datatype\": \"uint8\", \"min\": 5, \"max\": 1}}",
                "catalog: node 'A': min 5 is greater than max 1");
        assertInvalid(
                "{\"A\": {\"type\": \"sensor\", \"datatype\": \"string\", \"max\": 1}}",
                "catalog: node 'A': min/max are set but datatype string is not numeric");
        assertInvalid(
                "{\"A\": {\"type\": \"sensor\", \"datatype\": \"float\", \"max\": \"high\"}}",
                "catalog: node 'A': field 'max' must be a number, got \"high\"");
        assertInvalid(
                "{\"A\": {\"type\": \"signal\", \"datatype\": \"float\"}}",
                "catalog: node 'A': unknown type 'signal' (branch, sensor, actuator, attribute)");
        assertInvalid(
                "{\"A\": {\"type\": \"sensor\", \"datatype\": \"string\", \"allowed\": [1, 2]}}",
                "catalog: node 'A': allowed value 1 does not match datatype string");
        assertInvalid(
                "{\"A\": {\"type\": \"branch\", \"children\": {\"B.C\": {}}}}",
                "catalog: node 'A.B.C': node name" + " 'B.C' must be non-empty, without dots or surrounding spaces");
    }

    @Test
    void loadsAUserCatalogFileAndNamesTheFileInErrors(@TempDir Path dir) throws Exception {
        Path good = Files.writeString(
                dir.resolve("mine.json"),
                "{\"Car\": {\"type\": \"branch\", \"children\": {\"Speed\": {\"type\": \"sensor\", \"datatype\": \"float\","
                        + " \"allowed\": [0, 10.5]}}}}");
        SignalCatalog mine = SignalCatalog.load(good);
        assertThat(mine.size()).isEqualTo(1);
        assertThat(mine.find("Car.Speed").orElseThrow().allowed()).isEqualTo(List.of("0", "10.5"));

        Path bad = Files.writeString(dir.resolve("bad.json"), "{\"Car\": 1}");
        assertThatThrownBy(() -> SignalCatalog.load(bad))
                .isInstanceOf(InvalidCatalogException.class)
                .hasMessage(bad + ": node 'Car': a node must be a JSON object, got NUMBER");
    }

    private static void assertInvalid(String catalog, String message) {
        assertThatThrownBy(() -> SignalCatalog.load(json(catalog)))
                .isInstanceOf(InvalidCatalogException.class)
                .hasMessage(message);
    }

    static InputStream json(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }
}
