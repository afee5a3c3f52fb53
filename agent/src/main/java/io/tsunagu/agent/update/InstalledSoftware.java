package io.tsunagu.agent.update;

/**
 * The software in one slot of an ECU.
 *
 * @param ecu the ECU
 * @param slot the slot holding it
 * @param version its version
 * @param sha256 lower-case hex SHA-256 of the slot image
 * @param lengthBytes the image length
 */
public record InstalledSoftware(EcuSerial ecu, Slot slot, String version, String sha256, long lengthBytes) {}
