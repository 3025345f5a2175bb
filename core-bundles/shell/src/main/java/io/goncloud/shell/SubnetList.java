package io.goncloud.shell;

import io.goncloud.api.model.Subnet;
import io.goncloud.api.service.Caller;
import io.goncloud.api.service.SubnetService;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

@Command(scope = "gcp", name = "subnet-list", description = "Lists subnets of every VPC, or of one")
@Service
public class SubnetList implements Action {

    @Reference
    private SubnetService subnets;

    @Option(name = "--vpc", description = "Only this VPC's subnets")
    private String vpcId;

    @Override
    public Object execute() {
        ShellTable table = new ShellTable();
        table.column("ID");
        table.column("VPC");
        table.column("Name");
        table.column("CIDR");
        table.column("Zone");
        table.column("Public");
        table.column("Free IPs");
        for (Subnet s : Pages.all(page -> subnets.list(Caller.operator(), vpcId, page))) {
            table.addRow().addContent(s.id(), s.vpcId(), s.name(), s.cidrBlock(), s.availabilityZone(),
                    s.isPublic() ? (s.mapPublicIpOnLaunch() ? "yes, maps IPs" : "yes") : "no",
                    s.availableIpAddressCount());
        }
        table.print(System.out);
        return null;
    }
}
