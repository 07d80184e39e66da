package io.moneytrail.api;

import io.moneytrail.money.ErrorType;
import io.moneytrail.money.MoneytrailException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.lang.reflect.Method;
import java.lang.reflect.Type;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.core.MethodParameter;
import org.springframework.core.ResolvableType;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpInputMessage;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import org.springframework.web.servlet.mvc.method.annotation.RequestBodyAdviceAdapter;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

/**
 * A request whose {@code Accept} rules out JSON is refused (406) before its handler runs. Spring
 * negotiates the response type after the handler returns, so {@code POST .../cancel} with
 * {@code Accept: text/html} used to cancel the payment and then answer 406: the client was told
 * "refused" about a change that happened. A handler with a body is checked once its body has been
 * read, so a malformed body (400) or a wrong content type (415) is still named first; one
 * without is checked before it is called. Handlers that stream a file (the ledger export) choose
 * their own type and are left to Spring.
 */
@ControllerAdvice
class AcceptCheck extends RequestBodyAdviceAdapter implements HandlerInterceptor, WebMvcConfigurer {

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(this).addPathPatterns("/v1/**");
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        if (handler instanceof HandlerMethod method && !hasBody(method.getMethod())) {
            check(request.getHeader("Accept"), method.getMethod());
        }
        return true;
    }

    @Override
    public boolean supports(MethodParameter parameter, Type targetType,
                            Class<? extends HttpMessageConverter<?>> converterType) {
        return true;
    }

    @Override
    public Object afterBodyRead(Object body, HttpInputMessage input, MethodParameter parameter, Type targetType,
                                Class<? extends HttpMessageConverter<?>> converterType) {
        check(input.getHeaders().getFirst("Accept"), parameter.getMethod());
        return body;
    }

    @Override
    public Object handleEmptyBody(Object body, HttpInputMessage input, MethodParameter parameter, Type targetType,
                                  Class<? extends HttpMessageConverter<?>> converterType) {
        check(input.getHeaders().getFirst("Accept"), parameter.getMethod());
        return body;
    }

    private static void check(String accept, Method method) {
        if (accept == null || accept.isBlank() || method == null || streams(method)) {
            return;
        }
        try {
            for (MediaType type : MediaType.parseMediaTypes(accept)) {
                if (type.getQualityValue() > 0 && type.isCompatibleWith(MediaType.APPLICATION_JSON)) {
                    return;
                }
            }
        } catch (InvalidMediaTypeException e) {
            // an Accept that is not a list of media types accepts nothing we can name
        }
        throw new MoneytrailException(ErrorType.INVALID_REQUEST, 406, "not_acceptable", null, "responses are JSON");
    }

    /** Per handler method (a fixed set): reading a method's annotations copies them on every call. */
    private static final Map<Method, Boolean> HAS_BODY = new ConcurrentHashMap<>();
    private static final Map<Method, Boolean> STREAMS = new ConcurrentHashMap<>();

    private static boolean hasBody(Method method) {
        return HAS_BODY.computeIfAbsent(method, AcceptCheck::readsBody);
    }

    private static boolean readsBody(Method method) {
        for (var annotations : method.getParameterAnnotations()) {
            for (var annotation : annotations) {
                if (annotation instanceof RequestBody) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean streams(Method method) {
        return STREAMS.computeIfAbsent(method, AcceptCheck::returnsStream);
    }

    private static boolean returnsStream(Method method) {
        ResolvableType type = ResolvableType.forMethodReturnType(method);
        if (HttpEntity.class.isAssignableFrom(type.toClass())) {
            type = type.getGeneric(0);
        }
        return StreamingResponseBody.class.isAssignableFrom(type.toClass());
    }
}
