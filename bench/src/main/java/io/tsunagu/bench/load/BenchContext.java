package io.tsunagu.bench.load;

import java.util.List;

/** What every scenario of one run shares: the server under test, the baseline broker and the registered cars. */
record BenchContext(ChildServer server, MosquittoBroker mosquitto, List<CarIdentity> cars) {
    Target tsunagu() {
        return new Target("tsunagu", server.mqttPort(), server.meter());
    }

    Target mosquittoTarget() {
        return new Target("mosquitto", mosquitto.port(), mosquitto.meter());
    }

    /** The first {@code count} registered cars. */
    List<CarIdentity> cars(int count) {
        if (count > cars.size()) {
            throw new IllegalArgumentException("only " + cars.size() + " cars registered, " + count + " needed");
        }
        return cars.subList(0, count);
    }
}
