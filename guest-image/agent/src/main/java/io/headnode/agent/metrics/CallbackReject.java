package io.headnode.agent.metrics;

import java.util.Locale;

/**
 * Why an install callback was refused, as far as its answer tells: the agent answers a wrong source address, a
 * wrong token and an unknown MAC alike (403), on purpose, so a prober learns nothing from the difference.
 */
public enum CallbackReject {
    /** 400: the body is not {@code token=<43 characters>}. */
    BAD_BODY,
    /** 403: not from the node's own address, a wrong token, or no such node. */
    FORBIDDEN,
    /** 404: the path names no MAC. */
    BAD_PATH,
    /** 405: not a POST. */
    WRONG_METHOD,
    /** 409: no install of that node is in progress (a replay, or after the deadline). */
    NO_INSTALL_IN_PROGRESS,
    /** 503: the new state could not be saved in time. */
    NOT_SAVED,
    /** Any other answer but 200. */
    OTHER;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The reason an answer with {@code status} gives. */
    public static CallbackReject of(int status) {
        return switch (status) {
            case 400 -> BAD_BODY;
            case 403 -> FORBIDDEN;
            case 404 -> BAD_PATH;
            case 405 -> WRONG_METHOD;
            case 409 -> NO_INSTALL_IN_PROGRESS;
            case 503 -> NOT_SAVED;
            default -> OTHER;
        };
    }
}
