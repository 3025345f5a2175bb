package io.goncloud.shell;

import io.goncloud.api.error.GcpException;
import io.goncloud.api.model.Image;
import io.goncloud.api.service.Caller;
import io.goncloud.api.service.ImageService;
import io.goncloud.api.service.ImageService.ImportImage;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import java.nio.file.Path;
import java.util.Locale;

@Command(scope = "gcp", name = "image-import", description = "Imports an image file on this host into the image store")
@Service
public class ImageImport implements Action {

    @Reference
    private ImageService images;

    @Option(name = "--name", required = true, description = "The image's name")
    private String name;

    @Option(name = "--format", description = "docker-rootfs (a tar of a root file system; the default), qcow2 or raw")
    private String format = "docker-rootfs";

    @Option(name = "--public", description = "Every tenant may launch it (otherwise only the operator sees it)")
    private boolean isPublic;

    @Option(name = "--description", description = "Free text")
    private String description;

    @Option(name = "--os", description = "Operating system (default linux)")
    private String os;

    @Option(name = "--os-version", description = "Its version (default 1)")
    private String version;

    @Option(name = "--architecture", description = "CPU architecture (default x86_64)")
    private String architecture;

    @Argument(index = 0, name = "file", required = true, description = "The image file; relative paths are taken "
            + "from the platform's working directory")
    private String file;

    @Override
    public Object execute() {
        try {
            Image image = images.importImage(Caller.operator(), new ImportImage(name, description, os, version,
                    architecture, format, Path.of(file).toAbsolutePath(), isPublic));
            System.out.println("Imported image " + image.id() + " (" + image.name() + ", " + image.format() + ", "
                    + size(image.size()) + (image.isPublic() ? ", public" : ", private") + ")");
        } catch (GcpException e) {
            throw new IllegalArgumentException(e.code() + ": " + e.getMessage());
        }
        return null;
    }

    static String size(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double value = bytes;
        int unit = -1;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
    }
}
