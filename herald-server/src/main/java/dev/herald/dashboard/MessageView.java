package dev.herald.dashboard;

/** A page that only says something: a refusal, or "you are signed out". */
public record MessageView(String title, String text) {}
