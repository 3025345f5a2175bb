package io.goncloud.messaging.internal;

import io.goncloud.api.cluster.WorkerReport;
import io.goncloud.api.cluster.WorkerTask;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProtocolJsonTest {

    @Test
    void snakeCaseNamesAndIsoTimestamps() {
        String json = ProtocolJson.write(Samples.report("worker-1"));
        assertTrue(json.contains("\"host_id\":\"worker-1\""), json);
        assertTrue(json.contains("\"sent_at\":\"2026-11-26T10:15:30.123456789Z\""), json);
        assertTrue(json.contains("\"memory_mi_b\":32768"), json);
        assertEquals(Samples.report("worker-1"), ProtocolJson.read(json, WorkerReport.class));
    }

    @Test
    void unknownPropertiesAreIgnoredAndMissingListsAreEmpty() {
        WorkerReport report = ProtocolJson.read("""
                {"host_id": "worker-9", "address": null, "inventory": true, "gpu_count": 2,
                 "capacity": {"vcpus": 4, "memory_mi_b": 1024, "disk_gi_b": 10, "numa": "yes"}}""",
                WorkerReport.class);
        assertEquals("worker-9", report.hostId());
        assertEquals(List.of(), report.capabilities());
        assertEquals(List.of(), report.instances());
        assertEquals(new WorkerReport.Capacity(4, 1024, 10), report.capacity());

        WorkerTask task = ProtocolJson.read("""
                {"task_id": "t-1", "instance_id": "i-1", "action": "TERMINATE", "priority": 5}""", WorkerTask.class);
        assertEquals(Samples.terminate("t-1", "i-1"), task);
    }

    @Test
    void whatIsNotATaskIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> ProtocolJson.read("{not json", WorkerTask.class));
        assertThrows(IllegalArgumentException.class,
                () -> ProtocolJson.read("{\"action\": \"EXPLODE\"}", WorkerTask.class));
        assertThrows(IllegalArgumentException.class, () -> ProtocolJson.read(null, WorkerTask.class));
    }
}
