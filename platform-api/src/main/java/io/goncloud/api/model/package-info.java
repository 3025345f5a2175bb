/**
 * The platform's domain types as clients see them. Immutable records; JSON names are the
 * snake_case forms of the component names, matching the database columns.
 */
@org.osgi.annotation.versioning.Version("0.1.0")
package io.goncloud.api.model;
