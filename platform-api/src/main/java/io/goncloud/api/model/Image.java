package io.goncloud.api.model;

import java.time.Instant;

/**
 * A bootable image.
 *
 * @param format what kind of artifact the image is ({@code docker-rootfs}, {@code qcow2}, ...); compute
 *               drivers declare which formats they can boot
 * @param size   size in bytes
 */
public record Image(String id, String name, String description, String os, String version,
                    String architecture, String format, boolean isPublic, String userId, long size,
                    Instant createdAt) {
}
