package io.goncloud.shell;

import io.goncloud.api.error.GcpException;
import io.goncloud.api.model.Instance;
import io.goncloud.api.model.User;
import io.goncloud.api.model.Vpc;
import io.goncloud.api.model.WorkerNode;
import io.goncloud.api.service.Caller;
import io.goncloud.api.service.InstanceService;
import io.goncloud.api.service.UserService;
import io.goncloud.api.service.VpcService;
import io.goncloud.api.service.WorkerNodeService;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

@Command(scope = "gcp", name = "instance-list", description = "Lists the instances of every tenant")
@Service
public class InstanceList implements Action {

    @Reference
    private InstanceService instances;
    @Reference
    private WorkerNodeService nodes;
    @Reference
    private VpcService vpcs;
    @Reference
    private UserService users;

    @Option(name = "--state", description = "Only instances in this state: pending, running, stopping, stopped, "
            + "shutting-down or terminated")
    private String state;

    @Override
    public Object execute() {
        Caller operator = Caller.operator();
        List<Instance> all;
        try {
            all = Pages.all(page -> instances.list(operator, null, state, page));
        } catch (GcpException e) {
            throw new IllegalArgumentException(e.code() + ": " + e.getMessage());
        }
        Map<String, String> hostnames = nodes.list(operator).stream()
                .collect(Collectors.toMap(WorkerNode::id, WorkerNode::hostname));
        Map<String, String> emails = Pages.all(page -> users.list(operator, page)).stream()
                .collect(Collectors.toMap(User::id, User::email));
        // An instance belongs to the owner of its subnet's VPC (launches are scoped to the caller's subnets).
        Map<String, String> vpcOwners = Pages.all(page -> vpcs.list(operator, page)).stream()
                .collect(Collectors.toMap(Vpc::id, Vpc::userId));
        ShellTable table = new ShellTable();
        table.column("ID");
        table.column("Name");
        table.column("State");
        table.column("Private IP");
        table.column("Public IP");
        table.column("Node");
        table.column("Owner");
        for (Instance i : all) {
            String ownerId = vpcOwners.get(i.vpcId());
            table.addRow().addContent(i.id(), i.name(), i.state(), i.privateIp(), orDash(i.publicIp()),
                    i.workerNodeId() == null ? "-" : hostnames.getOrDefault(i.workerNodeId(), i.workerNodeId()),
                    ownerId == null ? "-" : emails.getOrDefault(ownerId, ownerId));
        }
        table.print(System.out);
        return null;
    }

    private static String orDash(String value) {
        return value == null ? "-" : value;
    }
}
