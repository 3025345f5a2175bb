package io.goncloud.messaging.internal;

import io.goncloud.api.cluster.HostState;
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
        assertTrue(json.contains("\"underlay_address\":\"10.99.0.2\""), json);
        assertEquals(Samples.report("worker-1"), ProtocolJson.read(json, WorkerReport.class));
    }

    @Test
    void aHostStateTravelsWholeAndKeepsItsVersion() {
        HostState state = Samples.hostState("worker-1", 3);
        String json = ProtocolJson.write(state);
        assertTrue(json.contains("\"tunnel_peers\":[\"10.99.0.1\",\"10.99.0.3\"]"), json);
        assertTrue(json.contains("\"router_here\":false"), json);
        HostState read = ProtocolJson.read(json, HostState.class);
        assertEquals(state, read);
        assertEquals(state.version(), HostState.versionOf(read.network(), read.firewall()),
                "the version is the content's, after a trip through JSON too");
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

    @Test
    void consoleOutputTravelsInANullableFieldThatOlderReportsLack() {
        WorkerTask ask = new WorkerTask("t-2", "i-2", WorkerTask.Action.CONSOLE_OUTPUT, null);
        assertEquals(ask, ProtocolJson.read(ProtocolJson.write(ask), WorkerTask.class));

        WorkerReport.InstanceReport answer = new WorkerReport.InstanceReport("i-2", null, "t-2", null,
                "gcp-init: ready\n\u001b[0m");
        String json = ProtocolJson.write(answer);
        assertTrue(json.contains("\"console_output\":"), json);
        assertEquals(answer, ProtocolJson.read(json, WorkerReport.InstanceReport.class));

        // A report of an older worker (no such field) reads as "no console output".
        WorkerReport.InstanceReport old = ProtocolJson.read("""
                {"instance_id": "i-3", "status": null, "task_id": "t-3", "error": null}""",
                WorkerReport.InstanceReport.class);
        assertEquals(new WorkerReport.InstanceReport("i-3", null, "t-3", null), old);
        assertEquals(null, old.consoleOutput());
    }
}
