package io.goncloud.api.spi.storage;

import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The difference between the volumes the platform has records of for a host and those its storage driver holds:
 * what a storage agent acts on (orphans reported and removed, the missing marked {@code error}).
 *
 * @param orphans volumes on the host that no record wants
 * @param missing ids of recorded volumes the host does not have
 */
public record VolumeReconciliation(List<VolumeInfo> orphans, List<String> missing) {

    public VolumeReconciliation {
        orphans = List.copyOf(orphans);
        missing = List.copyOf(missing);
    }

    /** Compares the ids the platform records for this host with what the driver listed. */
    public static VolumeReconciliation of(Collection<String> recordedIds, Collection<VolumeInfo> onHost) {
        Set<String> recorded = Set.copyOf(recordedIds);
        Set<String> present = onHost.stream().map(VolumeInfo::volumeId).collect(Collectors.toSet());
        return new VolumeReconciliation(
                onHost.stream().filter(v -> !recorded.contains(v.volumeId())).toList(),
                recordedIds.stream().filter(id -> !present.contains(id)).sorted().toList());
    }

    public boolean converged() {
        return orphans.isEmpty() && missing.isEmpty();
    }
}
