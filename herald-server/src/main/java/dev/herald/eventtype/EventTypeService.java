package dev.herald.eventtype;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.error.Conflict;
import dev.herald.error.NotFound;
import dev.herald.error.ValidationFailed;
import dev.herald.id.IdPrefix;
import dev.herald.id.Ids;
import dev.herald.store.Database;
import dev.herald.store.EventTypeStore;
import dev.herald.store.Page;
import dev.herald.store.PageRequest;
import dev.herald.store.Sql;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/** Event type catalogue operations, one transaction each. */
public final class EventTypeService {

  /** The outcome of an upsert: whether a new row was made decides 201 vs 200. */
  public record Saved(EventType eventType, boolean created) {}

  private final Database db;
  private final EventTypeStore store;
  private final Ids ids;
  private final InstantSource clock;
  private final PayloadSchemas payloadSchemas;

  public EventTypeService(
      Database db,
      EventTypeStore store,
      Ids ids,
      InstantSource clock,
      PayloadSchemas payloadSchemas) {
    this.db = db;
    this.store = store;
    this.ids = ids;
    this.clock = clock;
    this.payloadSchemas = payloadSchemas;
  }

  public EventType create(String orgId, String name, EventTypeIn in) {
    EventType created =
        db.write(
            sql -> {
              if (store.find(sql, orgId, name).isPresent()) {
                throw new Conflict(
                    "event_type_exists", "an event type named " + name + " already exists");
              }
              return insert(sql, orgId, name, in);
            });
    payloadSchemas.forget(orgId, name);
    return created;
  }

  private EventType insert(Sql sql, String orgId, String name, EventTypeIn in) {
    Instant now = clock.instant();
    EventType e =
        new EventType(
            ids.next(IdPrefix.EVENT_TYPE),
            orgId,
            name,
            in.description(),
            in.schemas(),
            in.archived(),
            in.deprecated(),
            in.featureFlag(),
            now,
            now,
            in.groupName(),
            in.validatePayloads());
    store.insert(sql, e);
    return e;
  }

  public EventType get(String orgId, String name) {
    return db.read(sql -> find(sql, orgId, name));
  }

  private EventType find(Sql sql, String orgId, String name) {
    return store
        .find(sql, orgId, name)
        .orElseThrow(() -> new NotFound("event type " + name + " not found"));
  }

  /** The event type as {@code flags} sees it: one carrying a flag it lacks is not found. */
  public EventType get(String orgId, String name, FeatureFlags flags) {
    EventType e = get(orgId, name);
    if (!flags.sees(e.featureFlag())) {
      throw new NotFound("event type " + name + " not found");
    }
    return e;
  }

  public Page<EventType> list(
      String orgId, boolean includeArchived, boolean withContent, PageRequest page) {
    return list(orgId, FeatureFlags.ALL, includeArchived, withContent, page);
  }

  /** The event types {@code flags} sees. */
  public Page<EventType> list(
      String orgId,
      FeatureFlags flags,
      boolean includeArchived,
      boolean withContent,
      PageRequest page) {
    Page<EventType> found = db.read(sql -> store.list(sql, orgId, includeArchived, flags, page));
    return withContent ? found : found.map(EventType::withoutSchemas);
  }

  /**
   * Example {@code index} of the first schema that has examples (Svix's {@code exampleIndex}); an
   * index past the end of that list is a 422, naming how many there are. An event type hidden from
   * the caller by feature flags lends it no example, as if unknown.
   */
  public Optional<JsonNode> example(String orgId, String eventType, FeatureFlags flags, int index) {
    try {
      JsonNode examples = get(orgId, eventType, flags).examples();
      if (examples.isEmpty()) {
        return Optional.empty();
      }
      if (index >= examples.size()) {
        throw ValidationFailed.of(
            "exampleIndex",
            "the schema of "
                + eventType
                + " has "
                + examples.size()
                + " examples; exampleIndex "
                + index
                + " is past the end",
            "value_error.index");
      }
      return examples.get(index).isObject() ? Optional.of(examples.get(index)) : Optional.empty();
    } catch (NotFound e) {
      return Optional.empty();
    }
  }

  /**
   * Refuses (422) a subscription to event types {@code flags} does not see, exactly as if they did
   * not exist, so the refusal tells nothing about hidden types.
   */
  /**
   * A token restricted by feature flags may not subscribe an endpoint to event types they hide;
   * types the endpoint {@code already} had (set with an org key) may stay.
   *
   * @param wanted the endpoint's event types after the change, or null for every type
   */
  public void refuseNewlyHidden(
      String orgId, FeatureFlags flags, Collection<String> wanted, Collection<String> already) {
    if (wanted == null || !flags.restricted()) {
      return;
    }
    List<String> added = new java.util.ArrayList<>(wanted);
    if (already != null) {
      added.removeAll(already);
    }
    refuseHidden(orgId, flags, added);
  }

  public void refuseHidden(String orgId, FeatureFlags flags, Collection<String> names) {
    if (!flags.restricted() || names.isEmpty()) {
      return;
    }
    List<String> hidden = db.read(sql -> store.hiddenNames(sql, orgId, flags, names));
    if (!hidden.isEmpty()) {
      throw ValidationFailed.of(
          "eventTypes",
          "event types do not exist: " + String.join(", ", hidden),
          "value_error.event_type_not_found");
    }
  }

  public Saved upsert(String orgId, String name, EventTypeIn in) {
    Saved saved =
        db.write(
            sql -> {
              var existing = store.find(sql, orgId, name);
              if (existing.isEmpty()) {
                return new Saved(insert(sql, orgId, name, in), true);
              }
              return new Saved(update(sql, existing.get(), in), false);
            });
    payloadSchemas.forget(orgId, name);
    return saved;
  }

  public EventType patch(String orgId, String name, Function<EventType, EventTypeIn> patch) {
    EventType patched =
        db.write(
            sql -> {
              EventType current = find(sql, orgId, name);
              return update(sql, current, patch.apply(current));
            });
    payloadSchemas.forget(orgId, name);
    return patched;
  }

  private EventType update(Sql sql, EventType current, EventTypeIn in) {
    EventType e =
        new EventType(
            current.id(),
            current.orgId(),
            current.name(),
            in.description(),
            in.schemas(),
            in.archived(),
            in.deprecated(),
            in.featureFlag(),
            current.createdAt(),
            clock.instant(),
            in.groupName(),
            in.validatePayloads());
    store.update(sql, e);
    return e;
  }

  /** Archives the event type, or removes it entirely with {@code expunge}. */
  public void delete(String orgId, String name, boolean expunge) {
    db.writeVoid(
        sql -> {
          EventType current = find(sql, orgId, name);
          if (expunge) {
            store.delete(sql, orgId, name);
          } else if (!current.archived()) {
            update(
                sql,
                current,
                new EventTypeIn(
                    current.description(),
                    current.schemas(),
                    true,
                    current.deprecated(),
                    current.featureFlag(),
                    current.groupName(),
                    current.validatePayloads()));
          }
        });
    payloadSchemas.forget(orgId, name);
  }
}
