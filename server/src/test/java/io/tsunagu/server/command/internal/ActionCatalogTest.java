package io.tsunagu.server.command.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tsunagu.protocol.command.CommandKeys;
import io.tsunagu.protocol.vss.SignalCatalog;
import io.tsunagu.server.command.CommandException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ActionCatalogTest {
    final ActionCatalog catalog = new ActionCatalog();

    @Test
    void everyDesiredValueNamesAVss6SignalOfTheRightType() {
        SignalCatalog vss = SignalCatalog.vss6();
        Map<String, Map<String, String>> sampleParams = Map.of(
                "climate.start", Map.of("temperature_c", "21"),
                "charging.set_limit", Map.of("limit_percent", "80"),
                "keys.revoke", Map.of("key_id", "phone-1"),
                "keys.pair",
                        Map.of(
                                "key_id",
                                "phone-1",
                                "public_key",
                                CommandKeys.encode(CommandKeys.ed25519().getPublic())));
        int checked = 0;
        for (String name : catalog.names()) {
            Map<String, String> params = catalog.validate(name, sampleParams.getOrDefault(name, Map.of()));
            for (var desired :
                    catalog.find(name).orElseThrow().desired().apply(params).entrySet()) {
                assertThat(vss.find(desired.getKey())).as(desired.getKey()).isPresent();
                Object raw = switch (desired.getValue()) {
                    case io.tsunagu.protocol.telemetry.SignalValue.Bool b -> b.value();
                    case io.tsunagu.protocol.telemetry.SignalValue.Num n -> n.value();
                    default -> desired.getValue().toString();
                };
                assertThat(vss.validate(desired.getKey(), raw))
                        .as(desired.getKey())
                        .isInstanceOf(io.tsunagu.protocol.vss.ValidationResult.Accepted.class);
                checked++;
            }
        }
        assertThat(checked).isGreaterThanOrEqualTo(9);
    }

    @Test
    void parametersAreNormalisedAndCheckedAgainstTheirLimits() {
        assertThat(catalog.validate("climate.start", Map.of("temperature_c", "21.50")))
                .containsEntry("temperature_c", "21.5");
        assertThat(catalog.validate("charging.set_limit", Map.of("limit_percent", "80.0")))
                .containsEntry("limit_percent", "80");
        assertThatThrownBy(() -> catalog.validate("climate.start", Map.of("temperature_c", "14.9")))
                .isInstanceOf(CommandException.class)
                .hasMessageContaining("15.0..30.0");
        assertThatThrownBy(() -> catalog.validate("charging.set_limit", Map.of("limit_percent", "4294967376")))
                .isInstanceOf(CommandException.class);
        assertThatThrownBy(() -> catalog.validate("keys.pair", Map.of("key_id", "fleet-2", "public_key", "x")))
                .hasMessageContaining("key_id");
        assertThat(catalog.validate("keys.revoke", Map.of("key_id", "alice-phone")))
                .containsExactly(Map.entry("key_id", "alice-phone"));
        assertThatThrownBy(() -> catalog.validate("keys.revoke", Map.of("key_id", "fleet-1")))
                .as("the fleet key is not revocable by a command")
                .hasMessageContaining("key_id");
        assertThatThrownBy(() -> catalog.validate("keys.revoke", Map.of())).hasMessageContaining("key_id");
    }
}
