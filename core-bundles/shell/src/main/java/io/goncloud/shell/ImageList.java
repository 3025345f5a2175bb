package io.goncloud.shell;

import io.goncloud.api.model.Image;
import io.goncloud.api.model.User;
import io.goncloud.api.service.CatalogService;
import io.goncloud.api.service.Caller;
import io.goncloud.api.service.UserService;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

import java.util.Map;
import java.util.stream.Collectors;

@Command(scope = "gcp", name = "image-list", description = "Lists every image, public or private")
@Service
public class ImageList implements Action {

    @Reference
    private CatalogService catalog;
    @Reference
    private UserService users;

    @Override
    public Object execute() {
        Map<String, String> emails = Pages.all(page -> users.list(Caller.operator(), page)).stream()
                .collect(Collectors.toMap(User::id, User::email));
        ShellTable table = new ShellTable();
        table.column("ID");
        table.column("Name");
        table.column("OS");
        table.column("Arch");
        table.column("Format");
        table.column("Public");
        table.column("Size");
        table.column("Owner");
        table.column("Created");
        for (Image i : Pages.all(page -> catalog.images(Caller.operator(), page))) {
            table.addRow().addContent(i.id(), i.name(), i.os() + " " + i.version(), i.architecture(), i.format(),
                    i.isPublic() ? "yes" : "no", ImageImport.size(i.size()),
                    i.userId() == null ? "operator" : emails.getOrDefault(i.userId(), i.userId()), i.createdAt());
        }
        table.print(System.out);
        return null;
    }
}
