package dev.herald.dashboard;

import dev.herald.eventtype.EventType;

/** One event type's edit form. */
public record EventTypeEditView(Frame frame, EventType type, EventTypeForm form, String error) {}
