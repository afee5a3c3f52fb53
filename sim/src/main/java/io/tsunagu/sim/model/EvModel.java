package io.tsunagu.sim.model;

import java.util.Map;
import java.util.SplittableRandom;

/**
 * One simulated electric car, stepped in simulated seconds. Pure and deterministic: the same profile, seed and start
 * time give the same trajectory. Not thread-safe; step and read it from one thread at a time.
 *
 * <p>The car alternates between trips (a {@link DriveCycle} along a {@link Route} around Munich), parking and
 * charging sessions. Traction power follows the road-load equation {@code F = m·a + ½·ρ·Cd·A·v² + Crr·m·g} with a
 * drive-train efficiency and limited regeneration; HVAC draws power to hold the cabin at its setpoint (21 °C unless a
 * command set another) while driving or while remote climate is on; a series hybrid's generator starts below its SoC
 * threshold and burns fuel.
 *
 * <p>Remote commands act on it through {@link #lockDoors}, {@link #startClimate}, {@link #startCharging} and friends;
 * their effect shows in the next {@link #signals()}.
 */
public final class EvModel {
    /** What the car is doing. */
    public enum Phase {
        DRIVING,
        PARKED,
        CHARGING
    }

    /** Where energy comes from while charging. */
    public enum ChargeType {
        AC,
        DC
    }

    static final double AIR_DENSITY = 1.2; // kg/m³
    static final double G = 9.81;
    private static final double DRIVE_EFFICIENCY = 0.88;
    private static final double REGEN_EFFICIENCY = 0.70;
    private static final double AUX_W = 250;
    private static final double STANDBY_W = 30;
    private static final double HORN_LIGHTS_FLASH_S = 3;
    private static final double MAX_SUBSTEP_S = 1.0;

    private final VehicleProfile profile;
    private final SplittableRandom random;
    private final long startEpochMs;
    private final Route route;
    private final double baseAmbientC;
    private final Tyres tyres;
    final CarState state = new CarState();
    private DriveCycle cycle;
    private double elapsedS;

    /**
     * @param profile the car model
     * @param seed the seed of every random choice (trips, parking times, initial SoC)
     * @param startEpochMs simulated wall-clock time at step 0 (drives the day/night ambient temperature)
     */
    public EvModel(VehicleProfile profile, long seed, long startEpochMs) {
        this.profile = profile;
        this.random = new SplittableRandom(seed);
        this.startEpochMs = startEpochMs;
        this.route = Route.MUNICH.get(random.nextInt(Route.MUNICH.size()));
        this.baseAmbientC = random.nextDouble(-2, 22);
        this.tyres = new Tyres(random);
        this.cycle = new DriveCycle(random, 1);
        state.routeDistanceM = random.nextDouble(route.lengthM());
        state.forward = random.nextBoolean();
        state.energyKwh = profile.usableCapacityKwh() * random.nextDouble(0.4, 0.9);
        state.batteryTempC = ambientC();
        state.cabinTempC = ambientC();
        state.fuelLitres = profile.rangeExtender()
                .map(r -> r.fuelTankLitres() * random.nextDouble(0.4, 1))
                .orElse(0.0);
        state.phase = Phase.PARKED;
        state.parkRemainingS = random.nextDouble(0, 1_800);
    }

    /** Advances the model by {@code dtSeconds} of simulated time (internally in steps of at most one second). */
    public void step(double dtSeconds) {
        double remaining = dtSeconds;
        while (remaining > 1e-9) {
            double h = Math.min(MAX_SUBSTEP_S, remaining);
            substep(h);
            remaining -= h;
        }
    }

    private void substep(double h) {
        double ambient = ambientC();
        switch (state.phase) {
            case DRIVING -> drive(h, ambient);
            case PARKED -> park(h);
            case CHARGING -> charge(h);
        }
        state.currentA = Battery.currentA(profile, socPercent(), state.batteryPowerW);
        state.batteryTempC = Battery.nextTemperature(profile, state.batteryTempC, state.currentA, ambient, h);
        boolean hvacOn = climateActive();
        double tau = hvacOn ? 400 : 1_800;
        double target = hvacOn ? state.climateTargetC : ambient;
        state.cabinTempC += (target - state.cabinTempC) * Math.min(1, h / tau);
        state.hornLightsRemainingS = Math.max(0, state.hornLightsRemainingS - h);
        tyres.step(h, ambient, state.speedMs * 3.6);
        elapsedS += h;
    }

    private void drive(double h, double ambient) {
        double v0 = state.speedMs;
        double a = cycle.acceleration(v0, h);
        double vMean = Math.max(0, v0 + a * h / 2);
        double resistiveN = 0.5 * AIR_DENSITY * profile.dragAreaM2() * vMean * vMean + (vMean > 0.1 ? rollingN() : 0);
        double wheelW = (profile.massKg() * a + resistiveN) * vMean;
        if (wheelW > profile.maxMotorPowerKw() * 1_000) {
            wheelW = profile.maxMotorPowerKw() * 1_000;
            a = (wheelW / Math.max(vMean, 1) - resistiveN) / profile.massKg();
        }
        double v1 = Math.clamp(v0 + a * h, 0, DriveCycle.MAX_SPEED_KMH / 3.6);
        double tractionW = wheelW >= 0
                ? wheelW / DRIVE_EFFICIENCY
                : Math.max(wheelW, -profile.maxRegenPowerKw() * 1_000) * REGEN_EFFICIENCY;
        double outW = tractionW + AUX_W + hvacW(ambient);
        outW -= generatorW(h);
        applyBatteryPower(-outW, h);
        double distance = (v0 + v1) / 2 * h;
        state.speedMs = v1;
        state.odometerM += distance;
        state.tripEnergyKwh += outW * h / 3.6e6;
        state.tripDistanceM += distance;
        moveAlongRoute(distance);
        cycle.advance(distance, v1);
        if (socPercent() < 10 && !(profile.hybrid() && state.fuelLitres > 0.5)) {
            cycle.finishSoon();
        }
        if (cycle.finished() || state.energyKwh <= 0) {
            TripPlanner.endTrip(this);
        }
    }

    private double rollingN() {
        return profile.rollingResistance() * profile.massKg() * G;
    }

    /** HVAC electrical power (W): a heat pump (COP 2.5) holding the setpoint against the outside temperature. */
    private double hvacW(double ambient) {
        return Math.min(4_500, 120 * Math.abs(ambient - state.climateTargetC) / 2.5);
    }

    /** Remote climate's draw while parked or charging (W); while driving it is part of the traction balance. */
    private double remoteClimateW() {
        return state.climateOn ? hvacW(ambientC()) : 0;
    }

    private double generatorW(double h) {
        if (profile.rangeExtender().isEmpty()) {
            return 0;
        }
        VehicleProfile.RangeExtender rex = profile.rangeExtender().get();
        if (state.engineRunning && (socPercent() >= rex.stopSocPercent() || state.fuelLitres <= 0)) {
            state.engineRunning = false;
        } else if (!state.engineRunning && socPercent() < rex.startSocPercent() && state.fuelLitres > 0) {
            state.engineRunning = true;
        }
        if (!state.engineRunning) {
            return 0;
        }
        double kwh = rex.generatorPowerKw() * h / 3_600;
        state.fuelLitres = Math.max(0, state.fuelLitres - kwh * rex.litresPerKwh());
        return rex.generatorPowerKw() * 1_000;
    }

    private void park(double h) {
        state.speedMs = 0;
        state.engineRunning = false;
        state.chargePowerKw = 0;
        applyBatteryPower(-STANDBY_W - remoteClimateW(), h);
        state.parkRemainingS -= h;
        if (state.parkRemainingS <= 0) {
            startTrip();
        }
    }

    private void charge(double h) {
        state.speedMs = 0;
        state.engineRunning = false;
        double soc = socPercent();
        double kw =
                state.chargeType == ChargeType.DC ? Battery.dcPowerKw(profile, soc) : Battery.acPowerKw(profile, soc);
        double efficiency = state.chargeType == ChargeType.DC ? 0.95 : 0.90;
        state.chargePowerKw = kw * efficiency;
        applyBatteryPower(state.chargePowerKw * 1_000 - STANDBY_W - remoteClimateW(), h);
        if (socPercent() >= state.chargeLimitPercent) {
            state.chargePowerKw = 0;
            state.phase = Phase.PARKED; // cable stays in until the next trip starts
            state.parkRemainingS = random.nextDouble(600, 7_200);
        }
    }

    private void applyBatteryPower(double powerInW, double h) {
        state.batteryPowerW = powerInW;
        state.energyKwh = Math.clamp(state.energyKwh + powerInW * h / 3.6e6, 0, profile.usableCapacityKwh());
    }

    private void moveAlongRoute(double distanceM) {
        double length = route.lengthM();
        double next = state.routeDistanceM + (state.forward ? distanceM : -distanceM);
        if (next > length) { // U-turn at the end of the route
            next = 2 * length - next;
            state.forward = false;
        } else if (next < 0) {
            next = -next;
            state.forward = true;
        }
        state.routeDistanceM = Math.clamp(next, 0, length);
    }

    void startTrip() {
        state.cableConnected = false;
        state.chargePortOpen = false;
        state.doorsLocked = false;
        state.phase = Phase.DRIVING;
        double maxByEnergyM = profile.hybrid()
                ? 80_000
                : Math.max(2_000, (state.energyKwh - 0.1 * profile.usableCapacityKwh()) / consumptionKwhPerKm() * 700);
        double lengthM = Math.min(random.nextDouble(3_000, 40_000), maxByEnergyM);
        cycle = new DriveCycle(random, lengthM);
    }

    /** Plugs in and starts charging up to {@code limitPercent} (what a driver at a charger does). */
    void plugIn(ChargeType type, int limitPercent) {
        state.speedMs = 0;
        state.cableConnected = true;
        state.chargePortOpen = true;
        state.chargeType = type;
        state.chargeLimitPercent = limitPercent;
        state.phase = socPercent() < limitPercent ? Phase.CHARGING : Phase.PARKED;
        state.parkRemainingS = random.nextDouble(600, 3_600);
    }

    void parkFor(double seconds) {
        state.speedMs = 0;
        state.phase = Phase.PARKED;
        state.parkRemainingS = seconds;
    }

    void refuel() {
        profile.rangeExtender().ifPresent(r -> state.fuelLitres = r.fuelTankLitres());
    }

    /** What {@link #startCharging()} did. */
    public enum ChargingStart {
        STARTED,
        /** Already charging: nothing to do. */
        ALREADY_CHARGING,
        NOT_PLUGGED_IN,
        /** The state of charge is at or above the charge limit. */
        AT_LIMIT
    }

    /** Locks or unlocks all doors. */
    public void lockDoors(boolean locked) {
        state.doorsLocked = locked;
    }

    /** Turns remote climate on with a cabin setpoint (°C); the cabin approaches it over minutes. */
    public void startClimate(double targetC) {
        state.climateTargetC = targetC;
        state.climateOn = true;
    }

    public void stopClimate() {
        state.climateOn = false;
    }

    /** Starts charging: only with a cable plugged in and below the charge limit. */
    public ChargingStart startCharging() {
        if (state.phase == Phase.CHARGING) {
            return ChargingStart.ALREADY_CHARGING;
        }
        if (!state.cableConnected || state.phase == Phase.DRIVING) {
            return ChargingStart.NOT_PLUGGED_IN;
        }
        if (socPercent() >= state.chargeLimitPercent) {
            return ChargingStart.AT_LIMIT;
        }
        state.phase = Phase.CHARGING;
        return ChargingStart.STARTED;
    }

    /** Stops charging (the cable stays in); no effect when not charging. */
    public void stopCharging() {
        if (state.phase == Phase.CHARGING) {
            state.chargePowerKw = 0;
            state.phase = Phase.PARKED;
        }
    }

    /** Sets the state of charge (percent, 0-100) at which charging stops. */
    public void setChargeLimit(int limitPercent) {
        state.chargeLimitPercent = Math.clamp(limitPercent, 0, 100);
    }

    public void openChargePort() {
        state.chargePortOpen = true;
    }

    /** Sounds the horn and flashes the hazard lights for a few seconds. */
    public void flashHornAndLights() {
        state.hornLightsRemainingS = HORN_LIGHTS_FLASH_S;
    }

    /** Driving always runs HVAC; parked or charging only with remote climate on. */
    boolean climateActive() {
        return state.phase == Phase.DRIVING || state.climateOn;
    }

    public boolean doorsLocked() {
        return state.doorsLocked;
    }

    public double cabinTemperatureC() {
        return state.cabinTempC;
    }

    public int chargeLimitPercent() {
        return state.chargeLimitPercent;
    }

    public boolean cableConnected() {
        return state.cableConnected;
    }

    /** Average consumption (kWh/km) over recent driving, 0.18 before the first trip; drives range estimates. */
    double consumptionKwhPerKm() {
        if (state.tripDistanceM < 5_000) {
            return 0.18;
        }
        return Math.clamp(state.tripEnergyKwh / (state.tripDistanceM / 1_000), 0.10, 0.40);
    }

    /** Outside temperature: the car's base climate plus a ±5 K day cycle peaking at 15:00 Munich time (UTC+1). */
    double ambientC() {
        double hoursUtc = ((startEpochMs / 1_000.0 + elapsedS) / 3_600.0) % 24;
        double localHour = (hoursUtc + 1) % 24;
        return baseAmbientC + 5 * Math.sin(2 * Math.PI * (localHour - 9) / 24);
    }

    SplittableRandom random() {
        return random;
    }

    Route route() {
        return route;
    }

    Tyres tyres() {
        return tyres;
    }

    /** The car model. */
    public VehicleProfile profile() {
        return profile;
    }

    /** Simulated time now, epoch ms UTC. */
    public long timeMs() {
        return startEpochMs + Math.round(elapsedS * 1_000);
    }

    /** Physical state of charge, percent of usable capacity. */
    public double socPercent() {
        return state.energyKwh / profile.usableCapacityKwh() * 100;
    }

    public double speedKmh() {
        return state.speedMs * 3.6;
    }

    public double odometerM() {
        return state.odometerM;
    }

    public Phase phase() {
        return state.phase;
    }

    /** Power flowing into the battery from the charger (kW); 0 when not charging. */
    public double chargePowerKw() {
        return state.phase == Phase.CHARGING ? state.chargePowerKw : 0;
    }

    public boolean engineRunning() {
        return state.engineRunning;
    }

    /** The current values as VSS 6.0 signals (Double, Long or Boolean), see {@link VssSignals}. */
    public Map<String, Object> signals() {
        return VssSignals.of(this);
    }
}
