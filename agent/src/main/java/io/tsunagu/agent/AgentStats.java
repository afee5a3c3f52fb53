package io.tsunagu.agent;

/**
 * A snapshot of an agent's counters since it was created.
 *
 * @param buffered frames waiting in the offline buffer now
 * @param recorded frames recorded
 * @param sent frames handed to the MQTT client (a frame re-sent after a reconnect counts again)
 * @param acked frames the broker acknowledged with a success reason code (and that left the buffer)
 * @param rejected frames the broker refused for good (0x99, 0x87, 0x90); dropped, as they would be refused forever
 * @param retried frames queued to be sent again after a temporary refusal (0x97, 0x83, 0x80) or a failed publish; a
 *     frame deferred twice counts twice
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
        long retried,
        long droppedOldest,
        long reconnects,
        boolean connected) {}
