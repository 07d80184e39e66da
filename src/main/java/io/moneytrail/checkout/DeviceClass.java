package io.moneytrail.checkout;

import java.util.Locale;
import java.util.Optional;

/**
 * The customer's kind of device, guessed from the {@code User-Agent} header the way analytics
 * tools do it: tablets first (iPad, Android without "Mobile", "Tablet"), then phones ("Mobi",
 * iPhone, Android), then desktops (Windows, macOS, X11/Linux, ChromeOS); anything else, a
 * missing header or an obvious robot is {@code unknown}.
 */
public enum DeviceClass {
    DESKTOP, MOBILE, TABLET, UNKNOWN;

    /** User-Agent headers longer than this are not read further (a bound on what we parse). */
    static final int USER_AGENT_LENGTH_MAX = 512;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<DeviceClass> fromWire(String wire) {
        for (DeviceClass device : values()) {
            if (device.wire().equals(wire)) {
                return Optional.of(device);
            }
        }
        return Optional.empty();
    }

    public static DeviceClass from(String userAgent) {
        if (userAgent == null || userAgent.isBlank()) {
            return UNKNOWN;
        }
        String ua = (userAgent.length() > USER_AGENT_LENGTH_MAX ? userAgent.substring(0, USER_AGENT_LENGTH_MAX)
                : userAgent).toLowerCase(Locale.ROOT);
        if (ua.contains("bot") || ua.contains("spider") || ua.contains("crawl") || ua.startsWith("curl/")
                || ua.startsWith("wget/") || ua.startsWith("java-http-client") || ua.startsWith("python")) {
            return UNKNOWN;
        }
        if (ua.contains("ipad") || ua.contains("tablet") || (ua.contains("android") && !ua.contains("mobile"))) {
            return TABLET;
        }
        if (ua.contains("mobi") || ua.contains("iphone") || ua.contains("ipod") || ua.contains("android")
                || ua.contains("windows phone")) {
            return MOBILE;
        }
        if (ua.contains("windows") || ua.contains("macintosh") || ua.contains("mac os x") || ua.contains("x11")
                || ua.contains("linux") || ua.contains("cros")) {
            return DESKTOP;
        }
        return UNKNOWN;
    }
}
