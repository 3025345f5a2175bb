package io.goncloud.shell;

import io.goncloud.api.error.GcpException;
import io.goncloud.api.model.Vpc;
import io.goncloud.api.service.Caller;
import io.goncloud.api.service.UserService;
import io.goncloud.api.service.VpcService;
import io.goncloud.api.service.VpcService.CreateVpc;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Command(scope = "gcp", name = "vpc-create", description = "Creates a VPC for a tenant")
@Service
public class VpcCreate implements Action {

    @Reference
    private VpcService vpcs;
    @Reference
    private UserService users;

    @Option(name = "--owner", required = true, description = "Email of the user who will own the VPC")
    private String ownerEmail;

    @Option(name = "--description", description = "Free text")
    private String description;

    @Argument(index = 0, name = "name", required = true, description = "The VPC's name")
    private String name;

    @Argument(index = 1, name = "cidr", required = true, description = "IPv4 block, /16 to /28, e.g. 10.0.0.0/16")
    private String cidr;

    @Override
    public Object execute() {
        try {
            String ownerId = users.getByEmail(Caller.operator(), ownerEmail).id();
            Vpc vpc = vpcs.create(Caller.operator(), new CreateVpc(name, cidr, description), ownerId);
            System.out.println("Created VPC " + vpc.id() + " (" + vpc.cidrBlock() + ") for " + ownerEmail);
        } catch (GcpException e) {
            // Karaf shows the message of a failed command to the operator.
            throw new IllegalArgumentException(e.code() + ": " + e.getMessage());
        }
        return null;
    }
}
