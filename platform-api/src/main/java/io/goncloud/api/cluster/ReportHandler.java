package io.goncloud.api.cluster;

/** Controller side, whiteboard: receives every worker's reports, acknowledged when {@link #handle} returns. */
public interface ReportHandler {

    void handle(WorkerReport report);
}
