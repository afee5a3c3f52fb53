package io.tsunagu.agent;

/**
 * A snapshot of an agent's counters since it was created.
 *
 * @param buffered frames waiting in the offline buffer now
 * @param recorded frames recorded
 * @param sent frames handed to the MQTT client (a frame re-sent after a reconnect counts again)
 * @param acked frames the broker acknowledged with a success reason code (and that left the buffer)
 * @param rejected frames the broker refused with an error reason code; dropped, as they would be refused forever
 * @param droppedOldest frames dropped because the offline buffer was full
 * @param reconnects successful connections after the first one
 * @param connected whether the MQTT session is up now
 */
public record AgentStats(
        long buffered,
        long recorded,
        long sent,
        long acked,
        long rejected,
        long droppedOldest,
        long reconnects,
        boolean connected) {}
