package dev.herald.portal;

import dev.herald.delivery.UrlCheck;

/** What {@code portal/url-check.jte} shows: the SSRF guard's answer, or nothing before a URL. */
public record UrlCheckView(UrlCheck.Answer answer) {}
