package io.goncloud.api.cluster;

/** Worker side: sends reports to the controller. */
public interface ReportSender {

    /** @throws IllegalStateException when the message could not be handed to the transport */
    void send(WorkerReport report);
}
