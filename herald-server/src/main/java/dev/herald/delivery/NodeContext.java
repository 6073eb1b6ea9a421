package dev.herald.delivery;

import dev.herald.id.Ids;
import dev.herald.ops.Metrics;
import java.time.InstantSource;
import java.util.function.DoubleSupplier;

/**
 * What every part of one node's delivery path shares: the node's id (the owner of its leases), its
 * id generator, clock, source of randomness (retry jitter) and metrics.
 */
public record NodeContext(
    String id, Ids ids, InstantSource clock, DoubleSupplier random, Metrics metrics) {}
