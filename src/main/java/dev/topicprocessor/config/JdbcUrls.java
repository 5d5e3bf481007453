package dev.topicprocessor.config;

/** JDBC URLs as they may be shown: what can carry credentials left out. */
public final class JdbcUrls {

  private JdbcUrls() {}

  /**
   * The URL without its parameters (after {@code ?}, or H2's after {@code ;}) and without a {@code
   * user:password@} part, either of which may hold a password: {@code
   * jdbc:postgresql://db:5432/tp?password=x} shows as {@code jdbc:postgresql://db:5432/tp}.
   */
  public static String withoutCredentials(String url) {
    int query = url.indexOf('?');
    String base = query < 0 ? url : url.substring(0, query);
    int semicolon = base.indexOf(';');
    base = semicolon < 0 ? base : base.substring(0, semicolon);
    int authority = base.indexOf("//");
    if (authority >= 0) {
      int end = base.indexOf('/', authority + 2);
      int at = base.lastIndexOf('@', end < 0 ? base.length() : end);
      if (at > authority) {
        base = base.substring(0, authority + 2) + base.substring(at + 1);
      }
    }
    return base;
  }
}
