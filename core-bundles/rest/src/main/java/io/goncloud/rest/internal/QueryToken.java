package io.goncloud.rest.internal;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a route that also takes its access token as the {@code access_token} query parameter, for clients
 * that cannot set headers (a browser's {@code EventSource}). Only the live event stream has it: tokens in
 * URLs end up in logs and histories, so every other route insists on the Authorization header.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface QueryToken {

    String PARAMETER = "access_token";
}
