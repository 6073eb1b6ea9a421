package dev.herald.delivery;

import dev.herald.store.AttemptStore;
import dev.herald.store.Database;
import dev.herald.store.DeliveryStore;
import dev.herald.store.EndpointStore;
import dev.herald.store.GroupCommit;

/**
 * Where the delivery path reads and writes: the database, its group commit (the batched writer of
 * accepted messages, which claims and attempt results join on SQLite), and the stores of the tables
 * it touches.
 */
public record DeliveryStores(
    Database db,
    GroupCommit commits,
    DeliveryStore deliveries,
    AttemptStore attempts,
    EndpointStore endpoints) {}
