package io.goncloud.messaging.internal;

/**
 * When a handler's failure is retried, and when given up: the delay doubles from {@code delayMs} up to
 * {@code maxDelayMs}; after {@code maxAttempts} attempts the message goes to {@code deadLetterAddress}.
 */
record Redelivery(long delayMs, long maxDelayMs, int maxAttempts, String deadLetterAddress) {

    Redelivery {
        if (delayMs < 1 || maxDelayMs < delayMs) {
            throw new IllegalArgumentException("redelivery delays must satisfy 1 <= redelivery.delay.ms <= "
                    + "redelivery.max.delay.ms, not " + delayMs + " and " + maxDelayMs);
        }
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("max.delivery.attempts must be at least 1, not " + maxAttempts);
        }
        if (deadLetterAddress == null || deadLetterAddress.isBlank()) {
            throw new IllegalArgumentException("dead.letter.address must not be empty");
        }
        deadLetterAddress = deadLetterAddress.trim();
    }

    static Redelivery of(MessagingConfig config) {
        return new Redelivery(config.redelivery_delay_ms(), config.redelivery_max_delay_ms(),
                config.max_delivery_attempts(), config.dead_letter_address());
    }

    /** The pause after the given failed attempt (1 for the first). */
    long delayAfter(int attempt) {
        long delay = delayMs;
        for (int i = 1; i < attempt && delay < maxDelayMs; i++) {
            delay *= 2;
        }
        return Math.min(delay, maxDelayMs);
    }
}
