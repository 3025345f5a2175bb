package io.goncloud.api.service;

import io.goncloud.api.model.WorkerNode;

import java.util.List;

/** The operator's view of the hosts that run instances. Admins and the operator only. */
public interface WorkerNodeService {

    List<WorkerNode> list(Caller caller);

    WorkerNode get(Caller caller, String nodeIdOrHostname);

    /** Keeps new instances off the node; what runs there keeps running. */
    WorkerNode drain(Caller caller, String nodeIdOrHostname);

    /** Lets the scheduler place instances on a drained node again. */
    WorkerNode undrain(Caller caller, String nodeIdOrHostname);
}
