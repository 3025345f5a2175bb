package io.goncloud.shell;

import io.goncloud.api.model.WorkerNode;
import io.goncloud.api.service.Caller;
import io.goncloud.api.service.WorkerNodeService;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

@Command(scope = "gcp", name = "node-list", description = "Lists the worker nodes with their capacity and load")
@Service
public class NodeList implements Action {

    @Reference
    private WorkerNodeService nodes;

    @Override
    public Object execute() {
        ShellTable table = new ShellTable();
        table.column("ID");
        table.column("Hostname");
        table.column("State");
        table.column("vCPU used/total");
        table.column("Memory MiB used/total");
        table.column("Instances");
        table.column("Last heartbeat");
        table.column("Capabilities");
        for (WorkerNode n : nodes.list(Caller.operator())) {
            table.addRow().addContent(n.id(), n.hostname(), n.state(), n.cpuAllocated() + "/" + n.cpuTotal(),
                    n.memoryAllocatedMib() + "/" + n.memoryTotalMib(), n.instanceCount(),
                    n.lastHeartbeatAt() == null ? "never" : n.lastHeartbeatAt(), String.join(",", n.capabilities()));
        }
        table.print(System.out);
        return null;
    }
}
