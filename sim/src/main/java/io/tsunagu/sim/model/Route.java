package io.tsunagu.sim.model;

import java.util.List;

/**
 * A polyline of WGS 84 waypoints that a car drives along, back and forth. Positions are interpolated linearly by
 * distance travelled (segments are short, so the error against a great circle is negligible).
 *
 * @param name a label for logs
 * @param waypoints latitude/longitude pairs in degrees, at least two
 */
public record Route(String name, List<LatLon> waypoints) {
    private static final double EARTH_RADIUS_M = 6_371_000;

    /** One waypoint in degrees. */
    public record LatLon(double lat, double lon) {}

    /** A point on the route and the direction of travel there (degrees from north, 0 ≤ heading < 360). */
    public record Position(double lat, double lon, double headingDeg) {}

    public Route {
        waypoints = List.copyOf(waypoints);
        if (waypoints.size() < 2) {
            throw new IllegalArgumentException("route " + name + " needs at least two waypoints");
        }
    }

    /** Length of the whole polyline in metres. */
    public double lengthM() {
        double sum = 0;
        for (int i = 1; i < waypoints.size(); i++) {
            sum += distanceM(waypoints.get(i - 1), waypoints.get(i));
        }
        return sum;
    }

    /**
     * The point {@code distanceM} metres from the first waypoint (clamped to the route), heading along travel.
     *
     * @param forward true when driving from the first waypoint towards the last
     */
    public Position positionAt(double distanceM, boolean forward) {
        double remaining = Math.max(0, distanceM);
        for (int i = 1; i < waypoints.size(); i++) {
            LatLon a = waypoints.get(i - 1);
            LatLon b = waypoints.get(i);
            double segment = distanceM(a, b);
            if (remaining <= segment || i == waypoints.size() - 1) {
                double f = segment == 0 ? 0 : Math.min(1, remaining / segment);
                double heading = forward ? bearingDeg(a, b) : bearingDeg(b, a);
                return new Position(a.lat() + (b.lat() - a.lat()) * f, a.lon() + (b.lon() - a.lon()) * f, heading);
            }
            remaining -= segment;
        }
        throw new IllegalStateException("unreachable");
    }

    static double distanceM(LatLon a, LatLon b) {
        double lat1 = Math.toRadians(a.lat());
        double lat2 = Math.toRadians(b.lat());
        double dLat = lat2 - lat1;
        double dLon = Math.toRadians(b.lon() - a.lon());
        double h = Math.sin(dLat / 2) * Math.sin(dLat / 2)
                + Math.cos(lat1) * Math.cos(lat2) * Math.sin(dLon / 2) * Math.sin(dLon / 2);
        return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
    }

    static double bearingDeg(LatLon a, LatLon b) {
        double lat1 = Math.toRadians(a.lat());
        double lat2 = Math.toRadians(b.lat());
        double dLon = Math.toRadians(b.lon() - a.lon());
        double y = Math.sin(dLon) * Math.cos(lat2);
        double x = Math.cos(lat1) * Math.sin(lat2) - Math.sin(lat1) * Math.cos(lat2) * Math.cos(dLon);
        double deg = Math.toDegrees(Math.atan2(y, x));
        double normalized = (deg + 360) % 360;
        return normalized >= 360 ? 0 : normalized;
    }

    /** Four routes around Munich: city centre to Olympiapark, A9 to Garching, A96 west, A8 south-east. */
    public static final List<Route> MUNICH = List.of(
            new Route(
                    "altstadt-olympiapark",
                    List.of(
                            new LatLon(48.1374, 11.5755), // Marienplatz
                            new LatLon(48.1425, 11.5775), // Odeonsplatz
                            new LatLon(48.1503, 11.5806), // Universität
                            new LatLon(48.1617, 11.5865), // Münchner Freiheit
                            new LatLon(48.1700, 11.5860), // Leopoldstraße north
                            new LatLon(48.1769, 11.5566), // BMW Welt
                            new LatLon(48.1755, 11.5518))), // Olympiapark
            new Route(
                    "a9-garching",
                    List.of(
                            new LatLon(48.1617, 11.5865), // Münchner Freiheit
                            new LatLon(48.1742, 11.5892), // Nordfriedhof
                            new LatLon(48.1880, 11.6000), // Frankfurter Ring
                            new LatLon(48.2030, 11.6090), // Freimann
                            new LatLon(48.2490, 11.6520), // Garching
                            new LatLon(48.2650, 11.6710))), // Forschungszentrum
            new Route(
                    "a96-west",
                    List.of(
                            new LatLon(48.1402, 11.5600), // Hauptbahnhof
                            new LatLon(48.1390, 11.5030), // Laim
                            new LatLon(48.1290, 11.4780), // Blumenau
                            new LatLon(48.1180, 11.4300), // Germering
                            new LatLon(48.1050, 11.3600))), // Gilching
            new Route(
                    "a8-southeast",
                    List.of(
                            new LatLon(48.1270, 11.6050), // Ostbahnhof
                            new LatLon(48.1135, 11.6240), // Ramersdorf
                            new LatLon(48.1010, 11.6460), // Neuperlach
                            new LatLon(48.0700, 11.6350), // Unterhaching
                            new LatLon(48.0220, 11.6900)))); // Hofolding
}
