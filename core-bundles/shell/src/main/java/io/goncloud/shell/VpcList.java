package io.goncloud.shell;

import io.goncloud.api.model.User;
import io.goncloud.api.model.Vpc;
import io.goncloud.api.service.Caller;
import io.goncloud.api.service.UserService;
import io.goncloud.api.service.VpcService;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

@Command(scope = "gcp", name = "vpc-list", description = "Lists VPCs of every tenant, or of one")
@Service
public class VpcList implements Action {

    @Reference
    private VpcService vpcs;
    @Reference
    private UserService users;

    @Option(name = "--owner", description = "Only the VPCs of the user with this email")
    private String ownerEmail;

    @Override
    public Object execute() {
        Map<String, String> emails = Pages.all(page -> users.list(Caller.operator(), page)).stream()
                .collect(Collectors.toMap(User::id, User::email));
        List<Vpc> all = Pages.all(page -> vpcs.list(Caller.operator(), page));
        if (ownerEmail != null) {
            String ownerId = users.getByEmail(Caller.operator(), ownerEmail).id();
            all = all.stream().filter(v -> ownerId.equals(v.userId())).toList();
        }
        ShellTable table = new ShellTable();
        table.column("ID");
        table.column("Name");
        table.column("CIDR");
        table.column("State");
        table.column("Owner");
        table.column("Created");
        Function<String, String> owner = id -> emails.getOrDefault(id, id);
        for (Vpc vpc : all) {
            table.addRow().addContent(vpc.id(), vpc.name(), vpc.cidrBlock(), vpc.state(), owner.apply(vpc.userId()),
                    vpc.createdAt());
        }
        table.print(System.out);
        return null;
    }
}
