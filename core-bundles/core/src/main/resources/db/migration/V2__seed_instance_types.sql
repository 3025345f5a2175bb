-- The instance types a fresh platform offers (memory in MiB, storage in GiB). Operators may add more.
INSERT INTO instance_types (name, cpu, memory, storage, network, price) VALUES
    ('t2.nano',   1,   512,  8, 'low',      0.0058),
    ('t2.micro',  1,  1024,  8, 'low',      0.0116),
    ('t2.small',  1,  2048, 16, 'low',      0.0230),
    ('t2.medium', 2,  4096, 32, 'moderate', 0.0464),
    ('t2.large',  2,  8192, 64, 'moderate', 0.0928);
