package dev.herald.dashboard;

import dev.herald.auth.AuthService.NewKey;
import dev.herald.store.ApiKeyStore.OrgKeyRow;
import java.time.Instant;
import java.util.List;

/**
 * The API keys page.
 *
 * @param ownKeyId the key this session was opened with
 * @param created the key just created, whose secret this page shows once, or null
 */
public record KeysView(
    Frame frame, List<OrgKeyRow> keys, String ownKeyId, NewKey created, String error) {

  public static String time(Instant at) {
    return at == null ? "never" : ExplorerView.time(at.toEpochMilli());
  }
}
