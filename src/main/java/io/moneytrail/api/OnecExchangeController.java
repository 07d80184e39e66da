package io.moneytrail.api;

import io.moneytrail.access.OnecLogin;
import io.moneytrail.onec.OnecExchange;
import io.moneytrail.onec.OnecFailure;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /1c/exchange?type=sale&mode=…}: the protocol 1C speaks to online stores ("обмен с
 * сайтом"), answered in its own form: {@code text/plain} lines in the exchange's charset,
 * {@code success} or {@code failure} and the reason on the next line; the orders of {@code query}
 * as a CommerceML document. {@code checkauth} and the session cookie are the security chain's
 * ({@code access.OnecLogin}); a request that gets here is logged in. Parameters are read from the
 * query string only, never from a POSTed body (the file).
 */
@RestController
class OnecExchangeController {

    private static final Logger log = LoggerFactory.getLogger(OnecExchangeController.class);

    private final OnecExchange exchange;
    private final OnecLogin login;

    OnecExchangeController(OnecExchange exchange, OnecLogin login) {
        this.exchange = exchange;
        this.login = login;
    }

    @RequestMapping(path = "/1c/exchange", method = {RequestMethod.GET, RequestMethod.POST})
    void exchange(HttpServletRequest request, HttpServletResponse response) throws IOException {
        try {
            String type = OnecLogin.queryParameter(request, "type").orElse("");
            String mode = OnecLogin.queryParameter(request, "mode").orElse("");
            if (!type.equals("sale")) {
                throw new OnecFailure("type '" + type + "' is not served: this exchange carries orders (type=sale),"
                        + " not the catalogue");
            }
            switch (mode) {
                case "init" -> login.write(response, 200, exchange.init().lines().toArray(String[]::new));
                case "query" -> query(response);
                case "success" -> {
                    exchange.success();
                    login.write(response, 200, "success");
                }
                case "file" -> file(request, response);
                // files of type=sale are applied as they arrive (mode=file); a later import has nothing left to do
                case "import" -> login.write(response, 200, "success");
                default -> throw new OnecFailure("mode '" + mode + "' is not one of checkauth, init, query, success,"
                        + " file");
            }
        } catch (OnecFailure failure) {
            login.write(response, 200, "failure", oneLine(failure.getMessage()));
        } catch (IllegalArgumentException undecodable) {
            login.write(response, 200, "failure", "the query string cannot be decoded");
        } catch (RuntimeException unexpected) {
            log.error("1C exchange: {} failed", request.getQueryString(), unexpected);
            login.write(response, 500, "failure", "internal error on the service's side (see the service's log)");
        }
    }

    private void query(HttpServletResponse response) throws IOException {
        OnecExchange.Export export = exchange.query();
        response.setStatus(200);
        response.setContentType("application/xml;charset=" + export.charset().name());
        response.setHeader("Cache-Control", "no-store");
        response.setContentLength(export.xml().length);
        response.getOutputStream().write(export.xml());
        response.flushBuffer();
    }

    private void file(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (!"POST".equals(request.getMethod())) {
            throw new OnecFailure("mode=file takes the file as the body of a POST");
        }
        long limit = exchange.init().fileLimitBytes();
        long declared = request.getContentLengthLong();
        if (declared > limit) {
            throw new OnecFailure("the file is " + declared + " bytes, over file_limit=" + limit);
        }
        byte[] body;
        try (InputStream in = request.getInputStream()) {
            body = in.readNBytes((int) limit + 1);
        }
        if (body.length > limit) {
            throw new OnecFailure("the file is over file_limit=" + limit + " bytes");
        }
        List<String> lines = exchange.receive(body).lines();
        login.write(response, 200, lines.stream().map(OnecExchangeController::oneLine).toArray(String[]::new));
    }

    private static String oneLine(String text) {
        return text == null ? "" : text.replaceAll("[\\r\\n]+", " ");
    }
}
