package io.goncloud.shell;

import io.goncloud.api.error.GcpException;
import io.goncloud.api.model.User;
import io.goncloud.api.model.Volume;
import io.goncloud.api.service.Caller;
import io.goncloud.api.service.UserService;
import io.goncloud.api.service.VolumeService;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

@Command(scope = "gcp", name = "volume-list", description = "Lists the volumes of every tenant")
@Service
public class VolumeList implements Action {

    @Reference
    private VolumeService volumes;
    @Reference
    private UserService users;

    @Option(name = "--state", description = "Only volumes in this state: creating, available, in-use, deleting, "
            + "deleted or error")
    private String state;

    @Override
    public Object execute() {
        Caller operator = Caller.operator();
        List<Volume> all;
        try {
            all = Pages.all(page -> volumes.list(operator, state, page));
        } catch (GcpException e) {
            throw new IllegalArgumentException(e.code() + ": " + e.getMessage());
        }
        Map<String, String> emails = Pages.all(page -> users.list(operator, page)).stream()
                .collect(Collectors.toMap(User::id, User::email));
        ShellTable table = new ShellTable();
        table.column("ID");
        table.column("Name");
        table.column("GiB");
        table.column("State");
        table.column("Attached to");
        table.column("Owner");
        table.column("Reason");
        for (Volume v : all) {
            String attached = v.attachment() == null ? "-"
                    : v.attachment().instanceId() + " at " + v.attachment().device() + " (" + v.attachment().state() + ")";
            table.addRow().addContent(v.id(), v.name() == null ? "-" : v.name(), v.sizeGib(), v.state(), attached,
                    emails.getOrDefault(v.userId(), v.userId()), v.stateReason() == null ? "-" : v.stateReason());
        }
        table.print(System.out);
        return null;
    }
}
