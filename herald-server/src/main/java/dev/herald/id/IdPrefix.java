package dev.herald.id;

/** The id prefixes Herald uses, matching Svix's where Svix has one. */
public enum IdPrefix {
  ORG("org"),
  API_KEY("key"),
  APPLICATION("app"),
  EVENT_TYPE("evtype"),
  ENDPOINT("ep"),
  MESSAGE("msg"),
  DELIVERY("dlv"),
  ATTEMPT("atmpt"),
  TASK("qtask");

  private final String value;

  IdPrefix(String value) {
    this.value = value;
  }

  public String value() {
    return value;
  }
}
