package io.goncloud.rest.resources;

/** The body of the routes that take no parameters: empty, or {@code {}} (anything else is UnknownParameter). */
public record NoParameters() {
}
