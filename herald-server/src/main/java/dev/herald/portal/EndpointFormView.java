package dev.herald.portal;

import dev.herald.delivery.UrlCheck;
import dev.herald.endpoint.Endpoint;

/**
 * What {@code portal/endpoint-form.jte} shows: the create form ({@code endpoint} null) or the edit
 * form of an endpoint, with the values and error of the last attempt.
 *
 * @param typedTypes event types to show in the free-text field: typed ones and those the catalogue
 *     does not offer
 * @param urlAnswer the SSRF guard's answer on the URL, or null before one is typed
 * @param error why the last save was refused, or null
 */
public record EndpointFormView(
    PortalFrame frame,
    Endpoint endpoint,
    EndpointForm form,
    EventTypeChoices choices,
    String typedTypes,
    UrlCheck.Answer urlAnswer,
    String error) {

  public boolean creating() {
    return endpoint == null;
  }

  public String action() {
    return creating() ? "/portal/endpoints" : "/portal/endpoints/" + endpoint.id();
  }

  /** True when every type of the group is chosen (the group box is shown ticked). */
  public boolean wholeGroup(EventTypeChoices.Group g) {
    return !form.allEvents()
        && (form.groups().contains(g.prefix())
            || g.types().stream().allMatch(t -> form.chosen().contains(t.name())));
  }
}
