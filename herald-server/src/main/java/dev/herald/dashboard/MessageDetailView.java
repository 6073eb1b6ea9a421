package dev.herald.dashboard;

import dev.herald.store.OrgViewStore.AttemptRow;
import dev.herald.store.OrgViewStore.DeliveryRow;
import dev.herald.store.OrgViewStore.MessageRow;
import java.util.List;

/** One message: its deliveries and every attempt, across the endpoints it went to. */
public record MessageDetailView(
    Frame frame, MessageRow message, List<DeliveryRow> deliveries, List<AttemptRow> attempts) {}
