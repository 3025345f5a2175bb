package io.goncloud.core.persistence;

import javax.persistence.Entity;
import javax.persistence.Id;
import javax.persistence.Table;

@Entity
@Table(name = "instance_types")
public class InstanceTypeEntity {
    @Id
    public String name;
    public int cpu;
    public int memory;
    public int storage;
    public String network;
    public double price;
}
