/**
 * The load harness behind {@code tsunagu bench}: the server under test runs in a child JVM, Mosquitto (Debian's
 * package) runs as the baseline broker, and this process generates the load with real MQTT 5 clients over mutual TLS
 * on loopback. Each scenario measures Tsunagu and its baseline in the same run and reports throughput, acknowledgement
 * latency percentiles and CPU-µs per operation for both the server and the generator (they share the machine).
 */
@NullMarked
package io.tsunagu.bench.load;

import org.jspecify.annotations.NullMarked;
