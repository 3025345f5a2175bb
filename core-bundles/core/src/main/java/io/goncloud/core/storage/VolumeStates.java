package io.goncloud.core.storage;

/** The states of volumes and snapshots, as stored and as the API shows them. */
final class VolumeStates {
    static final String CREATING = "creating";
    static final String AVAILABLE = "available";
    static final String IN_USE = "in-use";
    static final String DELETING = "deleting";
    static final String DELETED = "deleted";
    static final String ERROR = "error";

    static final String ATTACHING = "attaching";
    static final String ATTACHED = "attached";
    static final String DETACHING = "detaching";

    static final String PENDING = "pending";
    static final String COMPLETED = "completed";

    private VolumeStates() {
    }
}
