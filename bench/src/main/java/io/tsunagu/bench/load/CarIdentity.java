package io.tsunagu.bench.load;

import com.hivemq.client.mqtt.MqttClientSslConfig;
import io.tsunagu.protocol.Vin;

/** A registered car: its VIN (= MQTT client id = certificate CN) and TLS settings with its own client certificate. */
record CarIdentity(Vin vin, MqttClientSslConfig ssl) {}
