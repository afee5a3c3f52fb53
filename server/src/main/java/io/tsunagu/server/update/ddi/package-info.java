/**
 * hawkBit Direct Device Integration (DDI) API v1, device side: the wire types ({@code Ddi*} records, Jackson-mapped
 * with hawkBit's exact field names, so SWUpdate's suricatta and rauc-hawkbit-updater talk to Tsunagu unchanged), the
 * per-car target tokens and the tenant's gateway token, the controller attributes a device reports (configData), and
 * the mapping of rollout actions onto DDI resources. The HTTP routes live in {@code io.tsunagu.server.api}; the action
 * model is {@code io.tsunagu.server.update.rollout}'s.
 */
@NullMarked
package io.tsunagu.server.update.ddi;

import org.jspecify.annotations.NullMarked;
