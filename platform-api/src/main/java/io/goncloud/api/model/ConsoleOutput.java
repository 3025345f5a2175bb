package io.goncloud.api.model;

import java.time.Instant;

/**
 * The tail of an instance's console (what its init and user data scripts printed), as its worker returned it.
 *
 * @param instanceId the instance
 * @param output     at most 64 KiB of text, the latest; empty when the instance has no console (never placed on a
 *                   worker, terminated, or not created yet)
 * @param timestamp  when the output was read
 */
public record ConsoleOutput(String instanceId, String output, Instant timestamp) {
}
