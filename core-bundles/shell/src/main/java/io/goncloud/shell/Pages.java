package io.goncloud.shell;

import io.goncloud.api.model.Page;
import io.goncloud.api.model.PageRequest;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** Operators want whole lists at the console: follows page tokens to the end. */
final class Pages {

    private Pages() {
    }

    static <T> List<T> all(Function<PageRequest, Page<T>> fetch) {
        List<T> all = new ArrayList<>();
        String token = null;
        do {
            Page<T> page = fetch.apply(new PageRequest(PageRequest.MAX_LIMIT, token));
            all.addAll(page.items());
            token = page.nextPageToken();
        } while (token != null);
        return all;
    }
}
