package io.goncloud.api.service;

/**
 * Told when the desired state in the database may have changed (whiteboard: register a service of this
 * type). Called after the change has committed, on the committing thread: implementations only note
 * that work is due and return at once; they re-read the state themselves.
 */
public interface StateChangeListener {

    void desiredStateChanged();
}
