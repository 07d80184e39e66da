package io.moneytrail.access;

import static org.assertj.core.api.Assertions.assertThat;

import io.moneytrail.testing.ApiTest;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * Walks every handler Spring MVC maps under {@code /v1} and calls it without a key, and with a
 * wrong one: each answers 401 with the envelope, unless it is on the explicit public list.
 */
class EveryApiRouteNeedsAKeyTest extends ApiTest {

    /** The only routes under /v1 that answer without a key: provider webhooks, checked by signature. */
    static final Set<String> PUBLIC = Set.of("POST /v1/webhooks/{provider}");

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    RequestMappingHandlerMapping mapping;

    @Test
    void every_route_under_v1_answers_401_without_a_key_unless_it_is_public() {
        List<String> walked = new ArrayList<>();
        for (RequestMappingInfo info : mapping.getHandlerMethods().keySet()) {
            Set<RequestMethod> methods = info.getMethodsCondition().getMethods();
            for (String pattern : info.getPatternValues()) {
                if (!pattern.equals("/v1") && !pattern.startsWith("/v1/")) {
                    continue;
                }
                for (RequestMethod method : methods.isEmpty() ? Set.of(RequestMethod.GET) : methods) {
                    String route = method.name() + " " + pattern;
                    String target = pattern.replaceAll("\\{[^}]+}", "x_1");
                    walked.add(route);
                    if (PUBLIC.contains(route)) {
                        assertThat(RawHttp.sendBody(port, method.name(), target, "", "Content-Type: application/json").status())
                                .as(route).isNotEqualTo(401);
                        continue;
                    }
                    RawHttp.Response anonymous = RawHttp.sendBody(port, method.name(), target, "",
                            "Content-Type: application/json");
                    assertThat(anonymous.status()).as(route + " without a key: " + anonymous.body()).isEqualTo(401);
                    assertThat(anonymous.isEnvelope()).as(route).isTrue();
                    assertThat(anonymous.errorCode()).isEqualTo("invalid_api_key");
                    assertThat(anonymous.headers().get("www-authenticate")).isEqualTo("Bearer");
                    RawHttp.Response wrongKey = RawHttp.sendBody(port, method.name(), target, "",
                            "Content-Type: application/json", "Authorization: Bearer sk_not_a_key_we_issued");
                    assertThat(wrongKey.status()).as(route + " with a wrong key").isEqualTo(401);
                }
            }
        }
        assertThat(walked).as("the walk found the API").hasSizeGreaterThan(40)
                .contains("GET /v1/orders", "POST /v1/refunds", "POST /v1/ledger/adjustments", "GET /v1/api_keys")
                .containsAll(PUBLIC);
    }
}
