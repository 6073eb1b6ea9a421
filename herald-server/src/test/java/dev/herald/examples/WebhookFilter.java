package dev.herald.examples;

import dev.herald.verify.Webhook;
import dev.herald.verify.WebhookVerificationException;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

// herald-verify's servlet filter example, as its README shows it (ReceiverExamplesTest keeps them
// equal).
// spotless:off (the README shows this region as written)
// readme:servlet
public class WebhookFilter extends HttpFilter {
  private Webhook webhook;

  @Override
  public void init() {
    webhook = new Webhook(getInitParameter("secret")); // the endpoint's whsec_ secret
  }

  @Override
  protected void doFilter(HttpServletRequest req, HttpServletResponse res, FilterChain chain)
      throws IOException, ServletException {
    byte[] body = req.getInputStream().readAllBytes();
    try {
      webhook.verify(body, req.getHeader("webhook-id"), req.getHeader("webhook-timestamp"),
          req.getHeader("webhook-signature"));
    } catch (WebhookVerificationException e) {
      res.sendError(400, e.getMessage());
      return;
    }
    // The body stream is spent: the servlet behind the filter reads the verified bytes here.
    req.setAttribute("webhook.body", body);
    chain.doFilter(req, res);
  }
}
// readme:end
// spotless:on
