package io.goncloud.shell;

import io.goncloud.api.error.GcpException;
import io.goncloud.api.model.WorkerNode;
import io.goncloud.api.service.Caller;
import io.goncloud.api.service.WorkerNodeService;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Command(scope = "gcp", name = "node-drain", description = "Keeps new instances off a worker node; what runs there keeps running")
@Service
public class NodeDrain implements Action {

    @Reference
    private WorkerNodeService nodes;

    @Argument(index = 0, name = "node", required = true, description = "The node's host name or id")
    private String node;

    @Override
    public Object execute() {
        try {
            WorkerNode drained = nodes.drain(Caller.operator(), node);
            System.out.println("Node " + drained.hostname() + " is " + drained.state() + " (" + drained.instanceCount()
                    + " instances keep running there)");
        } catch (GcpException e) {
            throw new IllegalArgumentException(e.code() + ": " + e.getMessage());
        }
        return null;
    }
}
