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

@Command(scope = "gcp", name = "node-undrain", description = "Lets the scheduler place instances on a drained worker node again")
@Service
public class NodeUndrain implements Action {

    @Reference
    private WorkerNodeService nodes;

    @Argument(index = 0, name = "node", required = true, description = "The node's host name or id")
    private String node;

    @Override
    public Object execute() {
        try {
            WorkerNode node = nodes.undrain(Caller.operator(), this.node);
            System.out.println("Node " + node.hostname() + " is " + node.state());
        } catch (GcpException e) {
            throw new IllegalArgumentException(e.code() + ": " + e.getMessage());
        }
        return null;
    }
}
