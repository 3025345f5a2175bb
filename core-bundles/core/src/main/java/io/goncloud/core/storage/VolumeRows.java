package io.goncloud.core.storage;

import io.goncloud.api.model.Snapshot;
import io.goncloud.api.model.Volume;
import io.goncloud.core.persistence.SnapshotEntity;
import io.goncloud.core.persistence.VolumeEntity;

import javax.persistence.EntityManager;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Reads and writes what belongs to volume rows (their tags), and turns rows into the API's records. */
final class VolumeRows {

    private VolumeRows() {
    }

    static List<Volume> toModels(EntityManager em, List<VolumeEntity> rows) {
        Map<String, Map<String, String>> tags = new HashMap<>();
        if (!rows.isEmpty()) {
            var query = em.createNativeQuery("SELECT CAST(volume_id AS VARCHAR(36)), \"key\", \"value\" FROM volume_tags "
                    + "WHERE volume_id IN (" + String.join(", ", Collections.nCopies(rows.size(), "?")) + ")");
            for (int i = 0; i < rows.size(); i++) {
                query.setParameter(i + 1, rows.get(i).id);
            }
            for (Object row : query.getResultList()) {
                Object[] cols = (Object[]) row;
                tags.computeIfAbsent((String) cols[0], k -> new TreeMap<>()).put((String) cols[1], (String) cols[2]);
            }
        }
        return rows.stream().map(r -> toModel(r, tags.getOrDefault(r.id, Map.of()))).toList();
    }

    static Volume toModel(EntityManager em, VolumeEntity row) {
        return toModels(em, List.of(row)).get(0);
    }

    private static Volume toModel(VolumeEntity r, Map<String, String> tags) {
        Volume.Attachment attachment = r.instanceId == null ? null
                : new Volume.Attachment(r.instanceId, r.device, r.attachmentState);
        return new Volume(r.id, r.name, r.sizeGib, r.state, r.stateReason, r.snapshotId, attachment, tags, r.userId,
                r.createdAt.toInstant(), r.updatedAt.toInstant());
    }

    /** Replaces the volume's tags; the volume's row must have been flushed. */
    static void setTags(EntityManager em, String volumeId, Map<String, String> tags) {
        em.createNativeQuery("DELETE FROM volume_tags WHERE volume_id = ?").setParameter(1, volumeId).executeUpdate();
        tags.forEach((key, value) -> em.createNativeQuery("INSERT INTO volume_tags (volume_id, \"key\", \"value\") "
                + "VALUES (?, ?, ?)").setParameter(1, volumeId).setParameter(2, key).setParameter(3, value).executeUpdate());
    }

    static Snapshot toModel(SnapshotEntity s) {
        return new Snapshot(s.id, s.volumeId, s.volumeSizeGib, s.description, s.state, s.stateReason, s.userId,
                s.createdAt.toInstant(), s.updatedAt.toInstant());
    }
}
