package io.goncloud.rest.internal;

import io.goncloud.api.error.ErrorCode;

import javax.annotation.Priority;
import javax.ws.rs.Priorities;
import javax.ws.rs.WebApplicationException;
import javax.ws.rs.container.ContainerRequestContext;
import javax.ws.rs.container.ContainerRequestFilter;
import javax.ws.rs.container.PreMatching;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Refuses request bodies over the limit with 413: at once when Content-Length says so, and while
 * reading for chunked bodies that do not announce their length.
 */
@PreMatching
@Priority(Priorities.AUTHENTICATION - 50)
public class BodySizeLimit implements ContainerRequestFilter {

    private final long maxBytes;

    public BodySizeLimit(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        if (request.getLength() > maxBytes) {
            request.abortWith(ApiError.response(ErrorCode.REQUEST_TOO_LARGE, message(), RequestIds.of(request)));
            return;
        }
        request.setEntityStream(new Limited(request.getEntityStream(), maxBytes, RequestIds.of(request)));
    }

    private String message() {
        return "The request body is larger than the limit of " + maxBytes + " bytes";
    }

    private final class Limited extends FilterInputStream {
        private final String requestId;
        private long remaining;

        Limited(InputStream in, long limit, String requestId) {
            super(in);
            this.remaining = limit;
            this.requestId = requestId;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                consumed(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            if (n > 0) {
                consumed(n);
            }
            return n;
        }

        private void consumed(int n) {
            remaining -= n;
            if (remaining < 0) {
                throw new WebApplicationException(
                        ApiError.response(ErrorCode.REQUEST_TOO_LARGE, message(), requestId));
            }
        }
    }
}
