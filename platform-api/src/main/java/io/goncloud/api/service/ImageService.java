package io.goncloud.api.service;

import io.goncloud.api.model.Image;

import java.nio.file.Path;

/** Image management beyond the catalog's listing. */
public interface ImageService {

    /**
     * Imports an image from a file on the controller (e.g. a root-filesystem tarball for containers). The file
     * is copied into the platform's image store. Admins and the operator only.
     */
    Image importImage(Caller caller, ImportImage request);

    Image get(Caller caller, String imageId);

    /** Deletes the image and its stored file; DependencyViolation while instances not terminated use it. */
    void delete(Caller caller, String imageId);

    /**
     * @param format   {@code docker-rootfs} (a tar of a root file system whose {@code /sbin/init} is started)
     *                 or another format a compute driver declares
     * @param isPublic whether every tenant may launch it
     */
    record ImportImage(String name, String description, String os, String version, String architecture,
                       String format, Path source, boolean isPublic) {
    }
}
