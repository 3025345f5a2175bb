package io.goncloud.core.storage;

import io.goncloud.api.error.ErrorCode;
import io.goncloud.api.error.GcpException;

import java.util.List;
import java.util.regex.Pattern;

/** Where an instance may see a volume: for a container, a plain absolute path outside its system directories. */
final class AttachTargets {

    private static final Pattern PATH = Pattern.compile("(/[A-Za-z0-9._-]+)+");
    private static final List<String> SYSTEM = List.of("/proc", "/sys", "/dev", "/etc", "/bin", "/sbin", "/lib",
            "/usr", "/run");

    private AttachTargets() {
    }

    static String check(String device) {
        String path = device.strip();
        boolean dotted = List.of(path.split("/")).stream().anyMatch(s -> s.equals(".") || s.equals(".."));
        if (path.length() > 255 || !PATH.matcher(path).matches() || dotted
                || SYSTEM.stream().anyMatch(s -> path.equals(s) || path.startsWith(s + "/"))) {
            throw new GcpException(ErrorCode.INVALID_PARAMETER_VALUE, "device must be an absolute path of letters, "
                    + "digits, '.', '_' and '-' (at most 255 characters) outside " + String.join(", ", SYSTEM)
                    + ", got '" + device + "'");
        }
        return path;
    }
}
