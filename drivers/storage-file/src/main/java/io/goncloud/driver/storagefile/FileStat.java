package io.goncloud.driver.storagefile;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Sizes of files as the file system has them: apparent size, and what their data takes (sparse files take less). */
record FileStat(long sizeBytes, long allocatedBytes) {

    /** One {@code stat} for all of them; a file that vanished meanwhile is left out. */
    static Map<Path, FileStat> of(List<Path> files) {
        Map<Path, FileStat> stats = new HashMap<>();
        if (files.isEmpty()) {
            return stats;
        }
        List<String> argv = new ArrayList<>(List.of("stat", "--format=%s %b %B %n"));
        files.forEach(f -> argv.add(f.toString()));
        HostCommand.Result result = HostCommand.run(argv);
        for (String line : result.output().split("\n")) {
            String[] fields = line.split(" ", 4);
            if (fields.length == 4 && fields[0].chars().allMatch(Character::isDigit)) {
                stats.put(Path.of(fields[3]), new FileStat(Long.parseLong(fields[0]),
                        Long.parseLong(fields[1]) * Long.parseLong(fields[2])));
            }
        }
        return stats;
    }
}
