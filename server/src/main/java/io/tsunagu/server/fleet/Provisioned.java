package io.tsunagu.server.fleet;

/** A newly registered vehicle and its first credentials (the private key is returned only here). */
public record Provisioned(Vehicle vehicle, IssuedCredentials credentials) {}
