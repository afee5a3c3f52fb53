package io.tsunagu.bench.load;

import java.util.Arrays;

/**
 * The QoS 1 publishes of one connection that await their PUBACK, by packet id, and those that wait for a free place
 * under the broker's Receive Maximum (MQTT 5 §4.9), each as its {@link AckTracker} ticket. Packet ids run 1 to 65,535
 * and wrap; an id is never given to two publishes in flight at once (MQTT 5 §2.2.1). Confined to the connection's
 * event loop.
 */
final class InFlight {
    /** What {@link #remove} returns for a packet id not in flight. */
    static final long NONE = Long.MIN_VALUE;

    private static final int MAX_PACKET_ID = 65_535;

    /** Open addressing by {@code id & (length - 1)}: 0 marks a free slot; kept at most half full. */
    private int[] ids = new int[16];

    private long[] tickets = new long[16];
    private int count;
    private int lastId;
    private long[] waiting = new long[4];
    private int waitingHead;
    private int waitingCount;

    /** Publishes sent and not yet answered. */
    int count() {
        return count;
    }

    /** Gives {@code ticket} a packet id that is not in flight and returns it. */
    int add(long ticket) {
        if (count * 2 >= ids.length) {
            grow();
        }
        while (true) {
            lastId = lastId == MAX_PACKET_ID ? 1 : lastId + 1;
            int slot = lastId & (ids.length - 1);
            if (ids[slot] == 0) {
                ids[slot] = lastId;
                tickets[slot] = ticket;
                count++;
                return lastId;
            }
        }
    }

    /** The ticket of packet id {@code id}, no longer in flight; {@link #NONE} if it was not in flight. */
    long remove(int id) {
        int slot = id & (ids.length - 1);
        if (id <= 0 || ids[slot] != id) {
            return NONE;
        }
        ids[slot] = 0;
        count--;
        return tickets[slot];
    }

    /** Queues a publish that the broker's Receive Maximum does not let go out yet. */
    void await(long ticket) {
        if (waitingCount == waiting.length) {
            long[] larger = new long[waiting.length * 2];
            for (int i = 0; i < waitingCount; i++) {
                larger[i] = waiting[(waitingHead + i) % waiting.length];
            }
            waiting = larger;
            waitingHead = 0;
        }
        waiting[(waitingHead + waitingCount) % waiting.length] = ticket;
        waitingCount++;
    }

    boolean hasWaiting() {
        return waitingCount > 0;
    }

    /** The ticket that waited longest; only when {@link #hasWaiting()}. */
    long nextWaiting() {
        long ticket = waiting[waitingHead];
        waitingHead = (waitingHead + 1) % waiting.length;
        waitingCount--;
        return ticket;
    }

    /** Forgets every publish in flight or waiting (the connection closed) and returns how many there were. */
    int clear() {
        int dropped = count + waitingCount;
        Arrays.fill(ids, 0);
        count = 0;
        waitingCount = 0;
        waitingHead = 0;
        return dropped;
    }

    private void grow() {
        int[] oldIds = ids;
        long[] oldTickets = tickets;
        ids = new int[oldIds.length * 2];
        tickets = new long[oldIds.length * 2];
        // An id's slot under the larger mask keeps the bits of the smaller: two ids apart before stay apart.
        for (int i = 0; i < oldIds.length; i++) {
            if (oldIds[i] != 0) {
                int slot = oldIds[i] & (ids.length - 1);
                ids[slot] = oldIds[i];
                tickets[slot] = oldTickets[i];
            }
        }
    }
}
