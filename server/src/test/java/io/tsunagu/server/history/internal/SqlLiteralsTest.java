package io.tsunagu.server.history.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SqlLiteralsTest {
    @Test
    void aSeriesKeyOfAVinAndAVssPathBecomesAQuotedLiteral() {
        assertThat(SqlLiterals.quoted("WVWZZZ1JZXW000001/Vehicle.Powertrain.TractionBattery.StateOfCharge.Current"))
                .contains("'WVWZZZ1JZXW000001/Vehicle.Powertrain.TractionBattery.StateOfCharge.Current'");
        assertThat(SqlLiterals.quoted("WVWZZZ1JZXW000001/Vehicle.Body.Lights_Front-2"))
                .isPresent();
    }

    @Test
    void textThatCouldEndTheLiteralOrCarrySqlGetsNoLiteral() {
        assertThat(SqlLiterals.quoted("WVWZZZ1JZXW000001/Vehicle.Speed') OR ('1'='1"))
                .isEmpty();
        assertThat(SqlLiterals.quoted("x'; DROP TABLE samples; --")).isEmpty();
        assertThat(SqlLiterals.quoted("Vehicle.Speed\\")).isEmpty();
        assertThat(SqlLiterals.quoted("Vehicle Speed")).isEmpty();
        assertThat(SqlLiterals.quoted("Vehicle.Speed\n")).isEmpty();
        assertThat(SqlLiterals.quoted("Vehicle.Spéed")).isEmpty();
        assertThat(SqlLiterals.quoted("")).isEmpty();
        assertThat(SqlLiterals.quoted("a".repeat(513))).isEmpty();
    }
}
