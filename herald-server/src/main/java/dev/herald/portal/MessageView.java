package dev.herald.portal;

/** What {@code portal/message.jte} shows: a page that only tells the reader something. */
public record MessageView(String title, String text, PortalTheme theme) {

  public MessageView(String title, String text) {
    this(title, text, PortalTheme.DEFAULT);
  }

  MessageView themed(PortalTheme t) {
    return new MessageView(title, text, t);
  }
}
