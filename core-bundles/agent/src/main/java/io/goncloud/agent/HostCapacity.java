package io.goncloud.agent;

import io.goncloud.api.cluster.WorkerReport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** What this host can offer instances: its cores, memory and disk, scaled by the operator's ratios. */
final class HostCapacity {

    private HostCapacity() {
    }

    static WorkerReport.Capacity measure(double cpuRatio, double memoryRatio, Path dataDir) {
        int cores = Runtime.getRuntime().availableProcessors();
        return new WorkerReport.Capacity((int) Math.floor(cores * cpuRatio),
                (int) Math.floor(memoryMiB() * memoryRatio), diskGiB(dataDir));
    }

    /** MemTotal from /proc/meminfo, in MiB. */
    private static long memoryMiB() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            // fall through: not Linux, or an unreadable /proc
        }
        return Runtime.getRuntime().maxMemory() / (1024 * 1024);
    }

    private static int diskGiB(Path dataDir) {
        try {
            return (int) (Files.getFileStore(Files.exists(dataDir) ? dataDir : Path.of("/")).getTotalSpace() >> 30);
        } catch (IOException e) {
            return 0;
        }
    }
}
