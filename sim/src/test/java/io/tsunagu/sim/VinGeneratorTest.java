package io.tsunagu.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.tsunagu.protocol.Vin;
import java.util.List;
import org.junit.jupiter.api.Test;

class VinGeneratorTest {
    @Test
    void generatesDistinctValidNorthAmericanVinsDeterministically() {
        List<Vin> vins = VinGenerator.generate(500, 7);
        assertThat(vins).hasSize(500).doesNotHaveDuplicates();
        assertThat(vins).allSatisfy(vin -> {
            assertThat(vin.northAmerican()).isTrue();
            assertThat(vin.value().charAt(8)).isEqualTo(Vin.checkDigit(vin.value()));
            assertThat(Vin.isValid(vin.value())).isTrue();
        });
        assertThat(VinGenerator.generate(500, 7)).isEqualTo(vins);
        assertThat(VinGenerator.generate(5, 8)).isNotEqualTo(vins.subList(0, 5));
    }
}
