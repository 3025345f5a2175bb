package io.goncloud.core.validation;

import io.goncloud.api.error.ErrorCode;
import io.goncloud.api.error.GcpException;
import io.goncloud.core.net.Cidr;

import java.util.UUID;

/** Input checks shared by the services; each failure is a 4xx with a message naming the parameter. */
public final class Check {

    private Check() {
    }

    /** A required, non-blank text of at most {@code maxLength} characters, trimmed. */
    public static String requiredText(String value, String parameter, int maxLength) {
        if (value == null || value.isBlank()) {
            throw new GcpException(ErrorCode.MISSING_PARAMETER, "The request must contain the parameter " + parameter);
        }
        return optionalText(value, parameter, maxLength);
    }

    /** An optional text of at most {@code maxLength} characters, trimmed; {@code null} stays {@code null}. */
    public static String optionalText(String value, String parameter, int maxLength) {
        if (value == null) {
            return null;
        }
        String trimmed = value.strip();
        if (trimmed.length() > maxLength) {
            throw new GcpException(ErrorCode.INVALID_PARAMETER_VALUE,
                    parameter + " must be at most " + maxLength + " characters long");
        }
        if (trimmed.chars().anyMatch(Character::isISOControl)) {
            throw new GcpException(ErrorCode.INVALID_PARAMETER_VALUE, parameter + " must not contain control characters");
        }
        if (!wellFormed(trimmed)) {
            // JSON lets a client send half of a surrogate pair ("\ud800"); stored, it breaks every UTF-8 reader.
            throw new GcpException(ErrorCode.INVALID_PARAMETER_VALUE, parameter + " must be valid Unicode text");
        }
        return trimmed;
    }

    /** Whether every surrogate in {@code text} is half of a pair. */
    static boolean wellFormed(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    /** A resource id in its canonical lower-case UUID form, or {@code malformed} if it is not one. */
    public static String id(String value, ErrorCode malformed, String what) {
        if (value == null || value.isBlank()) {
            throw new GcpException(ErrorCode.MISSING_PARAMETER, "The request must contain the parameter " + what);
        }
        try {
            String canonical = UUID.fromString(value.strip()).toString();
            if (!canonical.equalsIgnoreCase(value.strip())) {
                throw new IllegalArgumentException();
            }
            return canonical;
        } catch (IllegalArgumentException e) {
            throw new GcpException(malformed, "Invalid id: '" + value + "' is not a valid " + what);
        }
    }

    /**
     * Tags: at most {@code max}, keys required (at most 128 characters), values optional (at most 256, absent is
     * empty); {@code null} is no tags. Sorted by key.
     */
    public static java.util.Map<String, String> tags(java.util.Map<String, String> tags, String owner, int max) {
        if (tags == null) {
            return java.util.Map.of();
        }
        if (tags.size() > max) {
            throw new GcpException(ErrorCode.INVALID_PARAMETER_VALUE, "A " + owner + " has at most " + max + " tags");
        }
        java.util.Map<String, String> valid = new java.util.TreeMap<>();
        tags.forEach((k, v) -> valid.put(requiredText(k, "tag key", 128), v == null ? "" : optionalText(v, "tag value", 256)));
        return valid;
    }

    /** A CIDR block in network form, or {@code InvalidParameterValue}. */
    public static Cidr cidr(String value, String parameter) {
        if (value == null || value.isBlank()) {
            throw new GcpException(ErrorCode.MISSING_PARAMETER, "The request must contain the parameter " + parameter);
        }
        try {
            return Cidr.parse(value);
        } catch (IllegalArgumentException e) {
            throw new GcpException(ErrorCode.INVALID_PARAMETER_VALUE,
                    "Value (" + value + ") for parameter " + parameter + " is invalid: " + e.getMessage());
        }
    }
}
