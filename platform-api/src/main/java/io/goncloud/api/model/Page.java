package io.goncloud.api.model;

import java.util.List;

/**
 * One page of a list. {@code nextPageToken} is opaque and {@code null} on the last page.
 */
public record Page<T>(List<T> items, String nextPageToken) {

    public Page {
        items = List.copyOf(items);
    }
}
