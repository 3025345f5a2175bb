package io.goncloud.api.model;

import java.time.Instant;

/**
 * One step of an instance's life: the state it entered and when.
 *
 * @param state  one of {@link InstanceState}'s values
 * @param reason why, when worth saying (e.g. a failed launch), or {@code null}
 */
public record InstanceEvent(String state, String reason, Instant createdAt) {
}
