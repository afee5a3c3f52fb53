package io.tsunagu.bench.load;

/**
 * A broker the generator loads: Tsunagu's gateway (the child server) or the Mosquitto baseline.
 *
 * @param name {@code tsunagu} or {@code mosquitto}
 * @param mqttPort its MQTT-over-TLS loopback port
 * @param meter its process, for CPU and memory
 */
record Target(String name, int mqttPort, ProcessMeter meter) {}
