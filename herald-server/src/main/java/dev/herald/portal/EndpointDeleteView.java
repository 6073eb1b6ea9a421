package dev.herald.portal;

import dev.herald.endpoint.Endpoint;

/** What {@code portal/endpoint-delete.jte} shows: the question before an endpoint is deleted. */
public record EndpointDeleteView(PortalFrame frame, Endpoint endpoint) {}
