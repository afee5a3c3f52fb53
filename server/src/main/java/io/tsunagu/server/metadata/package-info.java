/**
 * The metadata SQL database (vehicles, certificates, users, later commands and campaigns). One set of Flyway
 * migrations under {@code classpath:db/migration} runs on embedded H2 in PostgreSQL mode by default and on real
 * PostgreSQL in scale-out, so the SQL there must be portable. Capabilities get a {@link javax.sql.DataSource} from
 * {@link io.tsunagu.server.metadata.MetadataDatabase} and own their tables through their own classes.
 */
@NullMarked
package io.tsunagu.server.metadata;

import org.jspecify.annotations.NullMarked;
