package io.tsunagu.bench.load;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import io.tsunagu.protocol.Topics;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * The consumer side of Mosquitto's baseline: one QoS 1 subscription to every car's telemetry topic, so that the
 * broker does publish → subscribe pass-through (what Tsunagu's pipeline replaces with decode, validate, store).
 */
final class PassThroughSubscriber implements AutoCloseable {
    private final Mqtt5AsyncClient client;
    private final LongAdder received = new LongAdder();

    /** Connects as client {@code bench-subscriber} with {@code car}'s certificate and subscribes. */
    PassThroughSubscriber(CarIdentity car, Target target) {
        this.client = MqttClient.builder()
                .useMqttVersion5()
                .identifier("bench-subscriber")
                .serverHost("127.0.0.1")
                .serverPort(target.mqttPort())
                .sslConfig(car.ssl())
                .buildAsync();
        try {
            client.connectWith().cleanStart(true).send().get(30, TimeUnit.SECONDS);
            client.subscribeWith()
                    .topicFilter(Topics.ROOT + "/+/" + Topics.TELEMETRY)
                    .qos(MqttQos.AT_LEAST_ONCE)
                    .callback(publish -> received.increment())
                    .send()
                    .get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("the baseline's subscriber could not subscribe: " + e.getMessage(), e);
        }
    }

    /** Messages delivered so far, after waiting (at most 10 s) until deliveries stop: the broker may still be behind. */
    long receivedWhenQuiet() {
        long deadline = System.nanoTime() + 10_000_000_000L;
        long last = -1;
        while (received.sum() != last && System.nanoTime() < deadline) {
            last = received.sum();
            ChildServer.sleep(200);
        }
        return received.sum();
    }

    @Override
    public void close() {
        try {
            client.disconnect().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            // the broker is about to stop anyway
        }
    }
}
