-- Instances as the controller drives them (issue 4).

-- What the tenant asked for last (running, stopped or terminated); state is what the worker reported.
ALTER TABLE instances ADD COLUMN desired_state VARCHAR(16);
-- When the last task for the instance went out: the controller resends tasks that got no answer.
ALTER TABLE instances ADD COLUMN task_sent_at TIMESTAMP WITH TIME ZONE;
-- Terminated instances stay listed for a while, then their rows are deleted.
ALTER TABLE instances ADD COLUMN terminated_at TIMESTAMP WITH TIME ZONE;
UPDATE instances SET desired_state = CASE WHEN state IN ('stopping', 'stopped') THEN 'stopped'
    WHEN state IN ('shutting-down', 'terminated') THEN 'terminated' ELSE 'running' END;
CREATE INDEX instances_state ON instances (state);
CREATE INDEX instances_worker ON instances (worker_node_id);
CREATE INDEX instances_user ON instances (user_id, created_at, id);

-- One row per private address in use: the primary key makes concurrent launches pick distinct addresses.
CREATE TABLE ip_allocations (
    subnet_id   UUID NOT NULL REFERENCES subnets(id) ON DELETE CASCADE,
    address     VARCHAR(45) NOT NULL,
    instance_id UUID NOT NULL REFERENCES instances(id) ON DELETE CASCADE,
    PRIMARY KEY (subnet_id, address)
);
INSERT INTO ip_allocations (subnet_id, address, instance_id)
    SELECT subnet_id, private_ip, id FROM instances WHERE state <> 'terminated' AND subnet_id IS NOT NULL;

-- Every state an instance went through, with the reason, for its history.
CREATE TABLE instance_events (
    id          UUID PRIMARY KEY,
    instance_id UUID NOT NULL REFERENCES instances(id) ON DELETE CASCADE,
    state       VARCHAR(16) NOT NULL,
    reason      VARCHAR(1024),
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX instance_events_instance ON instance_events (instance_id, created_at);

