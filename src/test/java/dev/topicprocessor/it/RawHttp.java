package dev.topicprocessor.it;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One HTTP/1.1 exchange over a plain socket, for the requests a well-behaved client will not make:
 * repeated or oversized headers, a {@code Content-Length} that lies, a body sent slowly or cut off.
 */
final class RawHttp {

  /**
   * A request as bytes: its head (request line and headers, ending with the empty line) and its
   * body, written in {@code pieces} parts {@code pauseMillis} apart; {@code halfClose} ends the
   * client's side after the body, so a server waiting for more sees the end of the stream.
   */
  record Request(String head, byte[] body, int pieces, int pauseMillis, boolean halfClose) {

    static Request of(String head, byte[] body) {
      return new Request(head, body, 1, 0, false);
    }

    Request slowly(int pieces, int pauseMillis) {
      return new Request(head, body, pieces, pauseMillis, halfClose);
    }

    Request halfClosed() {
      return new Request(head, body, pieces, pauseMillis, true);
    }
  }

  /**
   * What came back: {@code status} 0 when no answer came ({@code failure} says why), {@code hung}
   * when none came within the time allowed. Header names are in lower case.
   */
  record Answer(
      int status, Map<String, List<String>> headers, String body, boolean hung, String failure) {

    String header(String name) {
      List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
      return values == null || values.isEmpty() ? "" : values.get(0);
    }

    @Override
    public String toString() {
      if (status == 0) {
        return (hung ? "no answer in time" : "no answer") + (failure == null ? "" : ": " + failure);
      }
      String shown = body.length() > 300 ? body.substring(0, 300) + "..." : body;
      return status + " " + header("Content-Type") + " " + shown.replace("\n", "\\n");
    }
  }

  private RawHttp() {}

  static Answer exchange(String host, int port, Request request, Duration max) {
    return exchange(host, port, null, request, max);
  }

  /**
   * @param from the local address to send from (any of this machine's), or null for the default
   */
  static Answer exchange(
      String host, int port, java.net.InetAddress from, Request request, Duration max) {
    long deadline = System.nanoTime() + max.toNanos();
    try (Socket socket = from == null ? new Socket(host, port) : new Socket(host, port, from, 0)) {
      socket.setSoTimeout((int) max.toMillis());
      OutputStream out = socket.getOutputStream();
      String writeFailure = null;
      try {
        out.write(request.head().getBytes(StandardCharsets.ISO_8859_1));
        byte[] body = request.body();
        int pieces = Math.max(1, Math.min(request.pieces(), Math.max(1, body.length)));
        for (int i = 0; i < pieces; i++) {
          int start = body.length * i / pieces;
          int end = body.length * (i + 1) / pieces;
          out.write(body, start, end - start);
          out.flush();
          if (request.pauseMillis() > 0 && i < pieces - 1) {
            Thread.sleep(request.pauseMillis());
          }
        }
        if (request.halfClose()) {
          socket.shutdownOutput();
        }
      } catch (IOException e) {
        // The server may answer and close before it has read everything (a body too large).
        writeFailure = "writing: " + e.getMessage();
      }
      byte[] received = readUntilClosed(socket.getInputStream(), deadline);
      if (received.length == 0) {
        return new Answer(0, Map.of(), "", false, writeFailure == null ? "closed" : writeFailure);
      }
      Answer answer = parse(received);
      String line = request.head().lines().findFirst().orElse("");
      Answers.keep(
          line.length() > 200 ? line.substring(0, 200) + "..." : line,
          answer.status(),
          answer.headers(),
          answer.body());
      return answer;
    } catch (SocketTimeoutException e) {
      return new Answer(0, Map.of(), "", true, e.getMessage());
    } catch (IOException e) {
      return new Answer(0, Map.of(), "", false, e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Everything the server sends until it closes (every request asks it to). */
  private static byte[] readUntilClosed(InputStream in, long deadline) throws IOException {
    ByteArrayOutputStream received = new ByteArrayOutputStream();
    byte[] buffer = new byte[8192];
    try {
      for (int n; (n = in.read(buffer)) >= 0; ) {
        received.write(buffer, 0, n);
        if (System.nanoTime() > deadline) {
          throw new SocketTimeoutException("the answer did not end in time");
        }
        if (complete(received.toByteArray())) {
          break;
        }
      }
    } catch (java.net.SocketException e) {
      if (received.size() == 0) {
        throw e; // reset before any answer
      }
    }
    return received.toByteArray();
  }

  /** Whether a whole answer is in (a server may keep the connection open despite the request). */
  private static boolean complete(byte[] bytes) {
    String text = withoutInterimAnswers(new String(bytes, StandardCharsets.ISO_8859_1));
    bytes = text.getBytes(StandardCharsets.ISO_8859_1);
    int end = text.indexOf("\r\n\r\n");
    if (end < 0) {
      return false;
    }
    Map<String, List<String>> headers = headers(text.substring(0, end));
    String length = first(headers, "content-length");
    if (length != null) {
      return bytes.length >= end + 4 + Long.parseLong(length.trim());
    }
    if (first(headers, "transfer-encoding") != null) {
      return text.endsWith("\r\n0\r\n\r\n");
    }
    int status = Integer.parseInt(text.substring(9, 12));
    return status == 204 || status == 304;
  }

  /** The answer without the {@code 100 Continue} a server may send before it. */
  private static String withoutInterimAnswers(String text) {
    while (text.matches("(?s)HTTP/1\\.. 1\\d\\d.*") && text.contains("\r\n\r\n")) {
      text = text.substring(text.indexOf("\r\n\r\n") + 4);
    }
    return text;
  }

  private static Answer parse(byte[] bytes) {
    String text = withoutInterimAnswers(new String(bytes, StandardCharsets.ISO_8859_1));
    bytes = text.getBytes(StandardCharsets.ISO_8859_1);
    int end = text.indexOf("\r\n\r\n");
    if (!text.startsWith("HTTP/1.") || end < 0 || text.length() < 12) {
      return new Answer(0, Map.of(), "", false, "not an HTTP answer: " + abbreviate(text));
    }
    String head = text.substring(0, end);
    Map<String, List<String>> headers = headers(head);
    byte[] rest = java.util.Arrays.copyOfRange(bytes, end + 4, bytes.length);
    if ("chunked".equalsIgnoreCase(first(headers, "transfer-encoding"))) {
      rest = dechunk(rest);
    }
    return new Answer(
        Integer.parseInt(head.substring(9, 12)),
        headers,
        new String(rest, StandardCharsets.UTF_8),
        false,
        null);
  }

  private static Map<String, List<String>> headers(String head) {
    Map<String, List<String>> headers = new LinkedHashMap<>();
    String[] lines = head.split("\r\n");
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      if (colon > 0) {
        headers
            .computeIfAbsent(
                lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
                k -> new ArrayList<>())
            .add(lines[i].substring(colon + 1).trim());
      }
    }
    return headers;
  }

  private static String first(Map<String, List<String>> headers, String name) {
    List<String> values = headers.get(name);
    return values == null || values.isEmpty() ? null : values.get(0);
  }

  private static byte[] dechunk(byte[] chunked) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int at = 0;
    while (at < chunked.length) {
      int lineEnd = indexOf(chunked, at);
      if (lineEnd < 0) {
        break;
      }
      String size = new String(chunked, at, lineEnd - at, StandardCharsets.ISO_8859_1);
      int length = Integer.parseInt(size.split(";")[0].trim(), 16);
      if (length == 0) {
        break;
      }
      out.write(chunked, lineEnd + 2, Math.min(length, chunked.length - lineEnd - 2));
      at = lineEnd + 2 + length + 2;
    }
    return out.toByteArray();
  }

  private static int indexOf(byte[] bytes, int from) {
    for (int i = from; i + 1 < bytes.length; i++) {
      if (bytes[i] == '\r' && bytes[i + 1] == '\n') {
        return i;
      }
    }
    return -1;
  }

  private static String abbreviate(String text) {
    return text.length() > 200 ? text.substring(0, 200) + "..." : text;
  }
}
