package io.goncloud.shell;

import io.goncloud.api.spi.Driver;
import io.goncloud.api.spi.HealthReport;
import io.goncloud.api.spi.compute.ComputeDriver;
import io.goncloud.api.spi.network.FirewallDriver;
import io.goncloud.api.spi.network.NetworkDriver;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

import java.util.ArrayList;
import java.util.List;

/** The drivers installed on this host right now, and whether each can work here (its probe). */
@Command(scope = "gcp", name = "driver-list", description = "Lists this host's drivers, their capabilities and health")
@Service
public class DriverList implements Action {

    @Reference(optional = true)
    private List<ComputeDriver> compute;
    @Reference(optional = true)
    private List<NetworkDriver> network;
    @Reference(optional = true)
    private List<FirewallDriver> firewall;

    @Override
    public Object execute() {
        List<Driver> drivers = new ArrayList<>();
        for (List<? extends Driver> kind : List.of(orEmpty(compute), orEmpty(network), orEmpty(firewall))) {
            drivers.addAll(kind);
        }
        ShellTable table = new ShellTable();
        table.column("Kind");
        table.column("Name");
        table.column("Version");
        table.column("Usable");
        table.column("Probe");
        table.column("Capabilities");
        for (Driver d : drivers) {
            HealthReport health = probe(d);
            table.addRow().addContent(d.info().kind(), d.info().name(), d.info().version(), health.usable() ? "yes" : "no",
                    health.detail(), String.join(",", d.info().capabilities().stream().sorted().toList()));
        }
        table.print(System.out);
        return null;
    }

    private static HealthReport probe(Driver driver) {
        try {
            return driver.probe();
        } catch (RuntimeException e) {
            return new HealthReport(false, "probe failed: " + e.getMessage());
        }
    }

    private static <T> List<T> orEmpty(List<T> list) {
        return list == null ? List.of() : list;
    }
}
