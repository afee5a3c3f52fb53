package io.tsunagu.sim;

/**
 * Fleet-wide counters, summed over all simulated cars.
 *
 * @param cars cars started
 * @param connected cars whose MQTT session is up
 * @param recorded frames recorded into the cars' offline buffers
 * @param acked frames the broker acknowledged
 * @param rejected frames the broker refused
 * @param buffered frames waiting in the offline buffers
 * @param tickErrors simulation ticks that failed (logged)
 */
public record FleetStats(
        int cars, int connected, long recorded, long acked, long rejected, long buffered, long tickErrors) {}
