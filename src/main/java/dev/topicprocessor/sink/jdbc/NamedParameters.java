package dev.topicprocessor.sink.jdbc;

import com.fasterxml.jackson.core.JsonPointer;
import java.util.List;
import java.util.Map;

/**
 * Turns {@code :name} parameters into JDBC's {@code ?}, leaving alone what is quoted ({@code
 * '...'}, {@code "..."}), comments, and PostgreSQL's {@code ::type} casts.
 */
final class NamedParameters {

  private NamedParameters() {}

  static String replace(
      String sql, List<JdbcDestination.Parameter> out, Map<String, JsonPointer> pointers) {
    StringBuilder statement = new StringBuilder(sql.length());
    int i = 0;
    while (i < sql.length()) {
      char c = sql.charAt(i);
      if (c == '\'' || c == '"') {
        int end = sql.indexOf(c, i + 1);
        end = end < 0 ? sql.length() : end + 1;
        statement.append(sql, i, end);
        i = end;
      } else if (c == '-' && sql.startsWith("--", i)) {
        int end = sql.indexOf('\n', i);
        end = end < 0 ? sql.length() : end;
        statement.append(sql, i, end);
        i = end;
      } else if (c == ':' && sql.startsWith("::", i)) {
        statement.append("::");
        i += 2;
      } else if (c == ':'
          && i + 1 < sql.length()
          && Character.isJavaIdentifierStart(sql.charAt(i + 1))) {
        int end = i + 1;
        while (end < sql.length() && Character.isJavaIdentifierPart(sql.charAt(end))) {
          end++;
        }
        String name = sql.substring(i + 1, end);
        if (!JdbcDestination.METADATA.contains(name) && !pointers.containsKey(name)) {
          throw new IllegalArgumentException(
              "\":"
                  + name
                  + "\" is neither an output's metadata "
                  + new java.util.TreeSet<>(JdbcDestination.METADATA)
                  + " nor one of \"parameters\"");
        }
        out.add(new JdbcDestination.Parameter(name, pointers.get(name)));
        statement.append('?');
        i = end;
      } else {
        statement.append(c);
        i++;
      }
    }
    return statement.toString();
  }
}
