package io.moneytrail.access;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.server.PathContainer;
import org.springframework.http.server.RequestPath;
import org.springframework.web.util.ServletRequestPathUtils;

/**
 * The path a request is routed on, as Spring MVC sees it: within the application, each
 * segment percent-decoded and stripped of its {@code ;parameters}. Filters that decide by
 * path use this, never the raw {@code getRequestURI()} ({@code /%76%31/orders} and
 * {@code /v1;x/orders} are both {@code /v1/orders} to the router).
 */
public final class ApiPaths {

    public static final String API_PREFIX = "/v1";

    private ApiPaths() {
    }

    /** Request attribute holding the computed path, so the filters that ask share one parse. */
    private static final String ATTRIBUTE = ApiPaths.class.getName() + ".path";

    public static String of(HttpServletRequest request) {
        if (request.getAttribute(ATTRIBUTE) instanceof String cached
                && request.getDispatcherType() == DispatcherType.REQUEST) {
            return cached;
        }
        String path = routed(request);
        if (request.getDispatcherType() == DispatcherType.REQUEST) {
            request.setAttribute(ATTRIBUTE, path);
        }
        return path;
    }

    private static String routed(HttpServletRequest request) {
        RequestPath path;
        try {
            path = ServletRequestPathUtils.hasParsedRequestPath(request)
                    ? ServletRequestPathUtils.getParsedRequestPath(request)
                    : RequestPath.parse(request.getRequestURI(), request.getContextPath());
        } catch (IllegalArgumentException undecodable) {
            return request.getRequestURI();
        }
        StringBuilder decoded = new StringBuilder();
        for (PathContainer.Element element : path.pathWithinApplication().elements()) {
            decoded.append(element instanceof PathContainer.PathSegment segment ? segment.valueToMatch() : element.value());
        }
        return decoded.toString();
    }

    /** Whether the request is for the API ({@code /v1} or below), on the routed path. */
    public static boolean isApi(HttpServletRequest request) {
        String path = of(request);
        return path.equals(API_PREFIX) || path.startsWith(API_PREFIX + "/");
    }

    /** Whether the routed path is exactly {@code path}, or below it. */
    public static boolean isUnder(HttpServletRequest request, String prefix) {
        String path = of(request);
        return path.equals(prefix) || path.startsWith(prefix + "/");
    }
}
