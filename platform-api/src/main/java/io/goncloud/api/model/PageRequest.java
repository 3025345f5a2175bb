package io.goncloud.api.model;

/**
 * Which page of a list to return.
 *
 * @param limit     how many items at most, 1 to {@link #MAX_LIMIT}; {@code null} means {@link #DEFAULT_LIMIT}
 * @param pageToken the {@code next_page_token} of the previous page, or {@code null} for the first
 */
public record PageRequest(Integer limit, String pageToken) {

    public static final int DEFAULT_LIMIT = 100;
    public static final int MAX_LIMIT = 1000;

    public static PageRequest first() {
        return new PageRequest(null, null);
    }

    public int effectiveLimit() {
        return limit == null ? DEFAULT_LIMIT : limit;
    }
}
