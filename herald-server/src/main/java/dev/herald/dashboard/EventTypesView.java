package dev.herald.dashboard;

import dev.herald.eventtype.EventType;
import java.util.List;

/** The event-type registry: every type (archived ones too) and the create form as typed. */
public record EventTypesView(
    Frame frame, List<EventType> types, EventTypeForm form, String error) {}
