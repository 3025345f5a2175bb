package io.goncloud.shell;

import io.goncloud.api.model.User;
import io.goncloud.api.service.Caller;
import io.goncloud.api.service.UserService;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

@Command(scope = "gcp", name = "user-list", description = "Lists the platform's users")
@Service
public class UserList implements Action {

    @Reference
    private UserService users;

    @Override
    public Object execute() {
        ShellTable table = new ShellTable();
        table.column("ID");
        table.column("Username");
        table.column("Email");
        table.column("Role");
        table.column("Active");
        table.column("Created");
        for (User user : Pages.all(page -> users.list(Caller.operator(), page))) {
            table.addRow().addContent(user.id(), user.username(), user.email(), user.role(), user.isActive(),
                    user.createdAt());
        }
        table.print(System.out);
        return null;
    }
}
