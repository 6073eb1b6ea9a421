package dev.herald.portal;

/** What {@code portal/message.jte} shows: a page that only tells the reader something. */
public record MessageView(String title, String text) {}
