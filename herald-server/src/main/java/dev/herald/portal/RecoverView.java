package dev.herald.portal;

import dev.herald.endpoint.Endpoint;
import java.util.List;

/**
 * What {@code portal/recover.jte} shows: the confirm step of a recover (how many failed deliveries
 * it would retry) or, once started, its task.
 *
 * @param since the chosen time as the form carries it (datetime-local, UTC)
 * @param count the failed deliveries it would retry, or -1 when the time was refused
 * @param problems why the time was refused
 * @param taskId the started task, or null on the confirm step
 * @param taskStatus the started task's status (running, finished, failed)
 */
public record RecoverView(
    PortalFrame frame,
    Endpoint endpoint,
    String since,
    long count,
    List<String> problems,
    String taskId,
    String taskStatus) {

  public RecoverView {
    problems = List.copyOf(problems);
  }

  public String sinceShown() {
    return since.replace('T', ' ') + " UTC";
  }
}
