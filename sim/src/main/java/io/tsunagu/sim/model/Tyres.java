package io.tsunagu.sim.model;

import java.util.SplittableRandom;

/**
 * Four tyres: each has a cold (20 °C) pressure that slowly leaks (0.3-1.5 kPa a day), and a temperature that rises
 * with speed and falls back to ambient; pressure follows the ideal gas law, {@code p = p20 · T / 293.15 K}.
 */
final class Tyres {
    static final int COUNT = 4;
    private final double[] coldKpa = new double[COUNT];
    private final double[] leakKpaPerDay = new double[COUNT];
    private final double[] temperatureC = new double[COUNT];
    private boolean initialised;

    Tyres(SplittableRandom random) {
        for (int i = 0; i < COUNT; i++) {
            coldKpa[i] = random.nextDouble(235, 260);
            leakKpaPerDay[i] = random.nextDouble(0.3, 1.5);
        }
    }

    void step(double dt, double ambientC, double speedKmh) {
        for (int i = 0; i < COUNT; i++) {
            if (!initialised) {
                temperatureC[i] = ambientC;
            }
            double target = ambientC + Math.min(30, speedKmh * 0.22);
            temperatureC[i] += (target - temperatureC[i]) * Math.min(1, dt / 600);
            coldKpa[i] = Math.max(150, coldKpa[i] - leakKpaPerDay[i] * dt / 86_400);
        }
        initialised = true;
    }

    /** Pressure of tyre {@code i} (0 front left, 1 front right, 2 rear left, 3 rear right) in kPa. */
    double pressureKpa(int i) {
        return coldKpa[i] * (273.15 + temperatureC[i]) / 293.15;
    }
}
