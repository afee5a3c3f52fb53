package io.tsunagu.server.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ApiWriteQueueTest {
    @AfterEach
    void clear() {
        System.clearProperty(ApiServer.WRITE_QUEUE_PROPERTY);
    }

    @Test
    void withoutThePropertyEachAnswerIsWrittenDirectly() {
        assertThat(ApiServer.writeQueueLength())
                .isEqualTo(ApiServer.DEFAULT_WRITE_QUEUE)
                .isZero();
    }

    @Test
    void thePropertySetsTheQueueLength() {
        System.setProperty(ApiServer.WRITE_QUEUE_PROPERTY, " 32 ");

        assertThat(ApiServer.writeQueueLength()).isEqualTo(32);
    }

    @Test
    void aNegativeOrNonNumericLengthIsRefusedNamingTheProperty() {
        for (String bad : new String[] {"-1", "many", ""}) {
            System.setProperty(ApiServer.WRITE_QUEUE_PROPERTY, bad);

            assertThatThrownBy(ApiServer::writeQueueLength)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(ApiServer.WRITE_QUEUE_PROPERTY);
        }
    }
}
