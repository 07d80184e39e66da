package io.moneytrail.access;

import java.io.IOException;
import java.io.Writer;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.ActionCode;

/**
 * Tomcat's error report, for the errors Tomcat answers itself before any filter of ours runs
 * (an encoded {@code /} in the path, a malformed request line, an undecodable query): the API's
 * JSON error envelope instead of Tomcat's HTML page. Nothing of the request is echoed.
 */
public final class EnvelopeErrorReportValve extends ErrorReportValve {

    public EnvelopeErrorReportValve() {
        setShowReport(false);
        setShowServerInfo(false);
    }

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int status = response.getStatus();
        if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
            return;
        }
        // the same check as Tomcat's own report: no I/O allowed means the client is gone
        java.util.concurrent.atomic.AtomicBoolean ioAllowed = new java.util.concurrent.atomic.AtomicBoolean();
        response.getCoyoteResponse().action(ActionCode.IS_IO_ALLOWED, ioAllowed);
        if (!ioAllowed.get()) {
            return;
        }
        String[] codeAndMessage = ErrorEnvelope.forStatus(status);
        try {
            response.setContentType("application/json");
            response.setCharacterEncoding("UTF-8");
            Writer writer = response.getReporter();
            if (writer != null) {
                writer.write(ErrorEnvelope.json(ErrorEnvelope.typeFor(status), codeAndMessage[0], codeAndMessage[1]));
                response.finishResponse();
            }
        } catch (IOException | IllegalStateException e) {
            // the client is gone, or the response cannot be written: nothing more to say
        }
    }
}
