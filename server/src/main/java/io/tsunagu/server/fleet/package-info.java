/**
 * The fleet: which vehicles exist, who owns them, and how they prove who they are. {@link
 * io.tsunagu.server.fleet.VehicleRegistry} is the registry the MQTT gateway asks on every connect ({@code
 * certificateTrusted}); {@link io.tsunagu.server.fleet.CertificateAuthority} issues the vehicles' client certificates
 * and the server's TLS identity; {@link io.tsunagu.server.fleet.VehicleProvisioning} ties both together; {@link
 * io.tsunagu.server.fleet.ApiUsers} holds the bearer-token identities of the REST API. Private keys handed to
 * vehicles are returned once and never stored; no key or token is ever logged.
 */
@NullMarked
package io.tsunagu.server.fleet;

import org.jspecify.annotations.NullMarked;
