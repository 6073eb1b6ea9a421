package dev.herald.dashboard;

import dev.herald.store.OrgViewStore.AppRow;
import java.util.List;

/** The applications page: the search as typed and the applications found. */
public record ApplicationsView(Frame frame, String search, List<AppRow> applications) {}
