package io.moneytrail.api;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.servlet.RequestDispatcher;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.mock.web.MockHttpServletRequest;

/**
 * What reaches the container's error page (an exception thrown by a filter, a {@code sendError})
 * is answered with the envelope: a 500 says nothing of the exception.
 */
class ErrorDispatchControllerTest {

    @Test
    void a_failure_outside_any_controller_is_a_500_envelope_that_names_nothing_of_the_exception() {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/error");
        request.setAttribute(RequestDispatcher.ERROR_STATUS_CODE, 500);
        request.setAttribute(RequestDispatcher.ERROR_EXCEPTION, new IllegalStateException("secret detail"));

        ResponseEntity<Object> answer = new ErrorDispatchController().error(request);

        assertThat(answer.getStatusCode().value()).isEqualTo(500);
        assertThat(answer.getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_JSON);
        assertThat(answer.getBody()).isEqualTo(Map.of("error", envelope("api_error", "internal_error", "internal error")));
        assertThat(String.valueOf(answer.getBody())).doesNotContain("secret detail");
    }

    @Test
    void a_status_sent_by_the_container_keeps_its_status_and_gets_its_code() {
        for (int status : new int[] {400, 404, 405, 406, 413, 415}) {
            MockHttpServletRequest request = new MockHttpServletRequest("GET", "/error");
            request.setAttribute(RequestDispatcher.ERROR_STATUS_CODE, status);
            ResponseEntity<Object> answer = new ErrorDispatchController().error(request);
            assertThat(answer.getStatusCode().value()).isEqualTo(status);
            assertThat(String.valueOf(answer.getBody())).contains("type=invalid_request_error");
        }
    }

    private static Map<String, Object> envelope(String type, String code, String message) {
        java.util.LinkedHashMap<String, Object> error = new java.util.LinkedHashMap<>();
        error.put("type", type);
        error.put("code", code);
        error.put("message", message);
        error.put("param", null);
        return error;
    }
}
