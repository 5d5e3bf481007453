package dev.topicprocessor.it;

import dev.topicprocessor.momento.WebhookSignature;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;

/**
 * Bad requests made from a seed, so that a failure can be made again: bodies that are no Momento
 * event, hostile JSON, abused headers, lying lengths, chunked and slow bodies, and bad calls to the
 * operator APIs. Each comes with what it must get.
 */
final class BadRequests {

  /** What a request must be answered with. */
  enum Expect {
    /** 204: it is in fact a valid event (a chunked body, a slow one, a byte order mark). */
    ACCEPTED,
    /** A 4xx problem+json from the application. */
    PROBLEM,
    /**
     * A 4xx, from the application or from the server itself when the request breaks HTTP's own
     * rules before it reaches the application (a header too large, a length that is no number).
     */
    CLIENT_ERROR,
    /**
     * Either of those: HTTP lets a server take the valid event such a request carries or refuse the
     * request (chunked with a {@code Content-Length}, a bare line feed, a header over one server's
     * limit and within the other's: Tomcat's is 8 KB, WildFly's 1 MB), so both are right.
     */
    ACCEPTED_OR_CLIENT_ERROR
  }

  record Attempt(String kind, Expect expect, RawHttp.Request request) {}

  private record Kind(String name, Expect expect, Supplier<RawHttp.Request> make) {}

  static final int MAX_BODY = 16_384; // the test servers' TOPIC_PROCESSOR_MAX_BODY_BYTES
  private static final String WEBHOOK = "api/webhooks/momento";

  private final Random random;
  private final String host;
  private final String context;
  private final String secret;
  private final String operatorToken;
  private final List<Kind> kinds = new ArrayList<>();
  private long sequence;

  /**
   * @param context the application's path, with its slashes: {@code /topic-processor/}
   */
  BadRequests(long seed, String host, String context, String secret, String operatorToken) {
    this.random = new Random(seed);
    this.host = host;
    this.context = context;
    this.secret = secret;
    this.operatorToken = operatorToken;
    this.sequence = Math.abs(seed % 1_000_000_000L) * 1000;
    bodies();
    hostileJson();
    headers();
    operatorApis();
  }

  Attempt next() {
    Kind kind = kinds.get(random.nextInt(kinds.size()));
    return new Attempt(kind.name(), kind.expect(), kind.make().get());
  }

  List<String> kindNames() {
    return kinds.stream().map(Kind::name).toList();
  }

  /** A valid event for this topic, signed, sent plainly. */
  RawHttp.Request validEvent(String cache, String topic, String text) {
    return signedPost(json(quote(cache), quote(topic), quote(text), now()));
  }

  // ---- bodies that are no Momento event (signed, so that the body itself is judged) ----

  private void bodies() {
    problem("random bytes", () -> signedPost(bytes(random.nextInt(200))));
    problem("truncated JSON", () -> signedPost(truncate(json(quote("x")))));
    problem("publish_timestamp a string", () -> signedPost(withTimestamp("\"yesterday\"")));
    problem("publish_timestamp 1e400", () -> signedPost(withTimestamp("1e400")));
    problem("publish_timestamp decimal", () -> signedPost(withTimestamp(now() + ".5")));
    problem("publish_timestamp negative", () -> signedPost(withTimestamp("-" + now())));
    problem("publish_timestamp stale", () -> signedPost(withTimestamp("" + (now() - 3_600_000))));
    problem(
        "publish_timestamp Long.MAX_VALUE", () -> signedPost(withTimestamp("" + Long.MAX_VALUE)));
    problem("publish_timestamp 2^63", () -> signedPost(withTimestamp("9223372036854775808")));
    problem("sequence number 10^40", () -> signedPost(withSequence("1" + "0".repeat(40))));
    problem("sequence number -1", () -> signedPost(withSequence("-1")));
    problem("sequence number 1e3", () -> signedPost(withSequence("1e3")));
    problem("sequence number a string", () -> signedPost(withSequence("\"7\"")));
    problem("text an object", () -> signedPost(json(quote("c"), "{\"not\":\"text\"}")));
    problem(
        "text missing",
        () ->
            signedPost(
                bytes(
                    "{\"cache\":\"c\",\"topic\":\"t\",\"publish_timestamp\":"
                        + now()
                        + ",\"topic_sequence_number\":1}")));
    problem("cache null", () -> signedPost(json("null", quote("t"), quote("x"), now())));
    problem("cache empty", () -> signedPost(json(quote(""), quote("t"), quote("x"), now())));
    problem("cache a number", () -> signedPost(json("42", quote("t"), quote("x"), now())));
    problem(
        "continuation byte without a lead",
        () -> signedPost(corruptText(0x80 + random.nextInt(0x40))));
    problem("overlong UTF-8", () -> signedPost(replaceText(new byte[] {(byte) 0xC0, (byte) 0x80})));
    problem(
        "encoded surrogate",
        () -> signedPost(replaceText(new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80})));
    problem("body too large", () -> signedPost(bytes(MAX_BODY + 1 + random.nextInt(100_000))));
    problem("body too large, signed JSON", () -> signedPost(json(quote("x".repeat(MAX_BODY)))));
    problem("a JSON array", () -> signedPost(bytes("[]")));
    problem("a JSON string", () -> signedPost(bytes("\"event\"")));
    problem("empty body", () -> signedPost(new byte[0]));
    problem("two objects", () -> signedPost(concat(json(quote("a")), json(quote("b")))));
    problem("object then garbage", () -> signedPost(concat(json(quote("a")), bytes("x"))));
    problem("a stray NUL byte", () -> signedPost(concat(json(quote("a")), new byte[] {0})));
  }

  // ---- valid JSON that is hostile ----

  private void hostileJson() {
    problem(
        "deep arrays",
        () -> signedPost(bytes("{\"cache\":" + "[".repeat(depth()) + "]".repeat(depth) + "}")));
    problem("deep objects in an unknown field", () -> signedPost(deepObject(depth())));
    problem("deep nesting unclosed", () -> signedPost(bytes("{\"x\":" + "[".repeat(depth()))));
    problem(
        "a 5,000-character cache",
        () -> signedPost(json(quote("c".repeat(5000)), quote("t"), quote("x"), now())));
    problem(
        "a 256-character topic",
        () -> signedPost(json(quote("c"), quote("t".repeat(256)), quote("x"), now())));
    accepted(
        "a 255-character cache and topic",
        () -> signedPost(json(quote("c".repeat(255)), quote("t".repeat(255)), quote("x"), now())));
    problem("a 2,000-character token id", () -> signedPost(withTokenId("k".repeat(2000))));
    problem(
        "a NUL in the cache",
        () -> signedPost(json(quote("a\\u0000b"), quote("t"), quote("x"), now())));
    problem(
        "a line break in the topic",
        () -> signedPost(json(quote("c"), quote("a\\nb"), quote("x"), now())));
    problem("a lone high surrogate in the text", () -> signedPost(json(quote("\\ud800x"))));
    problem(
        "a lone low surrogate in the topic",
        () -> signedPost(json(quote("c"), quote("\\udfff"), quote("x"), now())));
    problem(
        "duplicate keys",
        () ->
            signedPost(
                bytes(
                    "{\"cache\":\"c\",\"topic\":\"t\",\"topic\":\"u\",\"publish_timestamp\":"
                        + now()
                        + ",\"topic_sequence_number\":1,\"text\":\"x\"}")));
    problem(
        "duplicate text",
        () ->
            signedPost(
                bytes(
                    "{\"cache\":\"c\",\"topic\":\"t\",\"publish_timestamp\":"
                        + now()
                        + ",\"topic_sequence_number\":"
                        + (++sequence)
                        + ",\"text\":\"x\",\"text\":\"y\"}")));
    problem("a number of 2,000 digits", () -> signedPost(withSequence("9".repeat(2000))));
    problem("a huge exponent", () -> signedPost(withTimestamp("1e999999999")));
    accepted(
        "a huge string in the text",
        () -> signedPost(json(quote(letters(4000 + random.nextInt(8000))))));
    accepted(
        "a NUL and an emoji in the text", () -> signedPost(json(quote("a\\u0000\\ud83d\\ude00b"))));
    accepted(
        "a byte order mark",
        () ->
            signedPost(
                concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, json(quote("bom")))));
    accepted("unknown fields", () -> signedPost(withExtraFields(50 + random.nextInt(200))));
    accepted(
        "sequence number Long.MAX_VALUE",
        () -> signedPost(jsonWith(Long.MAX_VALUE - random.nextInt(1_000_000))));
    accepted("sequence number -0", () -> signedPost(withSequence("-0")));
    accepted(
        "whitespace everywhere",
        () ->
            signedPost(
                bytes(
                    " \r\n\t{ \"cache\" :\"c\" , \"topic\":\"no route here\",\n\"publish_timestamp\" : "
                        + now()
                        + " , \"topic_sequence_number\" : "
                        + (++sequence)
                        + " , \"text\" : \"ws\" } \n")));
  }

  // ---- abused headers, lengths and transfers ----

  private void headers() {
    problem("no signature", () -> post(WEBHOOK, validJson(), List.of()));
    problem("an empty signature", () -> post(WEBHOOK, validJson(), List.of(signatureHeader(""))));
    problem(
        "a signature of the wrong secret",
        () -> {
          byte[] body = validJson();
          return post(
              WEBHOOK, body, List.of(signatureHeader(WebhookSignature.sign("wrong", body))));
        });
    problem(
        "a signature too long",
        () -> {
          byte[] body = validJson();
          return post(
              WEBHOOK, body, List.of(signatureHeader(WebhookSignature.sign(secret, body) + "00")));
        });
    problem(
        "a signature in upper case letters not hex",
        () -> post(WEBHOOK, validJson(), List.of(signatureHeader("Z".repeat(64)))));
    problem(
        "two signatures, the valid one first",
        () -> {
          byte[] body = validJson();
          return post(
              WEBHOOK,
              body,
              List.of(
                  signatureHeader(WebhookSignature.sign(secret, body)),
                  signatureHeader("0".repeat(64))));
        });
    problem(
        "two valid signatures",
        () -> {
          byte[] body = validJson();
          String signature = WebhookSignature.sign(secret, body);
          return post(
              WEBHOOK, body, List.of(signatureHeader(signature), signatureHeader(signature)));
        });
    problem(
        "two signatures in one header",
        () -> {
          byte[] body = validJson();
          String signature = WebhookSignature.sign(secret, body);
          return post(WEBHOOK, body, List.of(signatureHeader(signature + ", " + signature)));
        });
    problem(
        "a signature over another body",
        () -> {
          byte[] body = validJson();
          return post(
              WEBHOOK, body, List.of(signatureHeader(WebhookSignature.sign(secret, validJson()))));
        });
    either(
        "a header of 64 KB",
        () -> signedPost(validJson(), List.of("X-Filler: " + letters(65_536))));
    either(
        "a header of 9 KB", () -> signedPost(validJson(), List.of("X-Filler: " + letters(9_000))));
    accepted(
        "a header of 4 KB", () -> signedPost(validJson(), List.of("X-Filler: " + letters(4_000))));
    either("300 headers", () -> signedPost(validJson(), repeated("X-Many", 300)));
    accepted("40 repeated headers", () -> signedPost(validJson(), repeated("X-Many", 40)));
    clientError(
        "a Content-Length that is no number", () -> signedRaw(validJson(), "Content-Length: abc"));
    clientError("a negative Content-Length", () -> signedRaw(validJson(), "Content-Length: -1"));
    clientError(
        "two different Content-Lengths",
        () -> {
          byte[] body = validJson();
          return signedRaw(
              body, "Content-Length: " + body.length, "Content-Length: " + (body.length + 5));
        });
    clientError(
        "a Content-Length beyond 2^63",
        () -> signedRaw(validJson(), "Content-Length: 99999999999999999999"));
    problem(
        "a Content-Length over the limit",
        () -> {
          byte[] body = validJson();
          return signedRaw(body, "Content-Length: " + (MAX_BODY + 1)).halfClosed();
        });
    either(
        "a Content-Length longer than the body",
        () -> {
          byte[] body = validJson();
          return signedRaw(body, "Content-Length: " + (body.length + 1 + random.nextInt(100)))
              .halfClosed();
        });
    problem(
        "a Content-Length shorter than the body",
        () -> {
          byte[] body = validJson();
          return signedRaw(body, "Content-Length: " + (body.length - 1 - random.nextInt(10)));
        });
    accepted("a chunked body", () -> chunked(validJson(), 1 + random.nextInt(6), ""));
    accepted("a chunked body with extensions", () -> chunked(validJson(), 3, ";ext=1"));
    clientError(
        "a chunk size that is no number",
        () -> signedRawChunked(validJson(), "zz\r\n").halfClosed());
    clientError(
        "a chunked body cut off", () -> signedRawChunked(validJson(), "ffff\r\nabc").halfClosed());
    problem(
        "a chunked body too large",
        () -> chunked(bytes(MAX_BODY + 10 + random.nextInt(20_000)), 4, ""));
    either(
        "chunked and a Content-Length",
        () -> {
          byte[] body = validJson();
          String frame =
              Integer.toHexString(body.length)
                  + "\r\n"
                  + new String(body, StandardCharsets.ISO_8859_1)
                  + "\r\n0\r\n\r\n";
          return RawHttp.Request.of(
              head(
                  "POST",
                  WEBHOOK,
                  List.of(
                      signatureHeader(WebhookSignature.sign(secret, body)),
                      "Transfer-Encoding: chunked",
                      "Content-Length: " + body.length)),
              frame.getBytes(StandardCharsets.ISO_8859_1));
        });
    accepted("a slow body", () -> signedPost(validJson()).slowly(4 + random.nextInt(4), 40));
    accepted("a slow chunked body", () -> chunked(validJson(), 4, "").slowly(4, 40));
    accepted(
        "an odd Content-Type",
        () -> signedPost(validJson(), List.of("Content-Type: text/x-nonsense; charset=ebcdic")));
    problem(
        "a Content-Type that is no media type",
        () -> signedPost(validJson(), List.of("Content-Type: ;;;/")));
    accepted(
        "Expect: 100-continue", () -> signedPost(validJson(), List.of("Expect: 100-continue")));
    problem(
        "GET on the webhook",
        () -> RawHttp.Request.of(head("GET", WEBHOOK, List.of()), new byte[0]));
    problem("PUT on the webhook", () -> post("PUT", WEBHOOK, validJson(), List.of()));
    problem("a path under the webhook", () -> post(WEBHOOK + "/extra", validJson(), List.of()));
    problem(
        "an unknown API path",
        () ->
            RawHttp.Request.of(
                head("GET", "api/" + letters(1 + random.nextInt(40)), List.of()), new byte[0]));
    clientError(
        "a path of 20 KB",
        () -> RawHttp.Request.of(head("GET", "api/" + letters(20_000), List.of()), new byte[0]));
    clientError(
        "a request line that is no HTTP", () -> RawHttp.Request.of("GARBAGE\r\n\r\n", new byte[0]));
    either("a header without a colon", () -> signedPost(validJson(), List.of("NoColonHere")));
    either(
        "a header with a bare line feed", () -> signedPost(validJson(), List.of("X-A: a\nX-B: b")));
  }

  // ---- the operator APIs: dead letters, pipeline, console ----

  private void operatorApis() {
    String bearer = "Authorization: Bearer " + operatorToken;
    problem("dead letters without credentials", () -> get("api/dead-letters", List.of()));
    problem(
        "dead letters with a wrong token",
        () ->
            get(
                "api/dead-letters",
                List.of("Authorization: Bearer " + letters(10 + random.nextInt(50)))));
    problem(
        "dead letters with a token of 6 KB",
        () -> get("api/dead-letters", List.of("Authorization: Bearer " + letters(6_000))));
    problem(
        "dead letters with Basic not Base64",
        () -> get("api/dead-letters", List.of("Authorization: Basic !!!" + letters(5))));
    problem(
        "dead letters with Basic without a colon",
        () -> get("api/dead-letters", List.of("Authorization: Basic " + base64(letters(12)))));
    problem(
        "dead letters with a wrong Basic user",
        () ->
            get(
                "api/dead-letters",
                List.of("Authorization: Basic " + base64("nobody:" + letters(8)))));
    problem(
        "dead letters with an unknown scheme",
        () -> get("api/dead-letters", List.of("Authorization: Digest " + letters(20))));
    problem(
        "dead letters after a word",
        () -> get("api/dead-letters?after=" + letters(5), List.of(bearer)));
    problem(
        "dead letters limit negative",
        () -> get("api/dead-letters?limit=-" + (1 + random.nextInt(9)), List.of(bearer)));
    problem("dead letters limit zero", () -> get("api/dead-letters?limit=0", List.of(bearer)));
    problem(
        "dead letters limit huge",
        () -> get("api/dead-letters?limit=99999999999999999999", List.of(bearer)));
    problem(
        "dead letters after huge",
        () -> get("api/dead-letters?after=99999999999999999999", List.of(bearer)));
    problem(
        "a dead letter that is no number",
        () -> get("api/dead-letters/" + letters(6), List.of(bearer)));
    problem(
        "a dead letter that does not exist",
        () -> get("api/dead-letters/" + (900_000_000 + random.nextInt(1000)), List.of(bearer)));
    problem(
        "replaying a dead letter that is no number",
        () -> post("api/dead-letters/x" + letters(3) + "/replay", new byte[0], List.of(bearer)));
    problem(
        "replaying a dead letter that does not exist",
        () ->
            post(
                "api/dead-letters/" + (900_000_000 + random.nextInt(1000)) + "/replay",
                new byte[0],
                List.of(bearer)));
    problem(
        "deleting a dead letter that does not exist",
        () ->
            RawHttp.Request.of(
                head(
                    "DELETE",
                    "api/dead-letters/" + (900_000_000 + random.nextInt(1000)),
                    List.of(bearer)),
                new byte[0]));
    problem(
        "replaying all without credentials",
        () -> post("api/dead-letters/replay", new byte[0], List.of()));
    problem(
        "pausing without credentials", () -> post("api/pipeline/pause", new byte[0], List.of()));
    problem(
        "pausing with a wrong token",
        () -> post("api/pipeline/pause", new byte[0], List.of("Authorization: Bearer wrong")));
    problem(
        "reloading routes without credentials",
        () -> post("api/pipeline/reload-routes", bytes("{\"routes\":[]}"), List.of()));
    problem("reloading routes with GET", () -> get("api/pipeline/reload-routes", List.of(bearer)));
    problem(
        "a console publish to a 5,000-character cache",
        () -> post("api/console/topics/" + "c".repeat(5000) + "/t", bytes("x"), List.of()));
    problem(
        "a console publish to a 256-character topic",
        () -> post("api/console/topics/c/" + "t".repeat(256), bytes("x"), List.of()));
    clientError(
        "a console publish to a NUL topic",
        () -> post("api/console/topics/c/a%00b", bytes("x"), List.of()));
    problem(
        "a console publish to a cache that does not exist",
        () -> post("api/console/topics/no-such-cache-" + letters(8) + "/t", bytes("x"), List.of()));
    problem(
        "a console publish too large",
        () ->
            post(
                "api/console/topics/default-cache/bad%20input",
                bytes(5_000 + random.nextInt(5_000)), List.of()));
    problem(
        "a console publish without a topic",
        () -> post("api/console/topics/default-cache/", bytes("x"), List.of()));
    problem(
        "a console watch of a 5,000-character topic",
        () -> get("api/console/events/c/" + "t".repeat(5000), List.of()));
    problem(
        "a console watch without a topic",
        () -> get("api/console/events/" + letters(5), List.of()));
    clientError(
        "a console watch of a lone surrogate",
        () -> get("api/console/events/c/%ED%A0%80", List.of()));
  }

  // ---- making requests ----

  private void problem(String name, Supplier<RawHttp.Request> make) {
    kinds.add(new Kind(name, Expect.PROBLEM, make));
  }

  private void accepted(String name, Supplier<RawHttp.Request> make) {
    kinds.add(new Kind(name, Expect.ACCEPTED, make));
  }

  private void either(String name, Supplier<RawHttp.Request> make) {
    kinds.add(new Kind(name, Expect.ACCEPTED_OR_CLIENT_ERROR, make));
  }

  private void clientError(String name, Supplier<RawHttp.Request> make) {
    kinds.add(new Kind(name, Expect.CLIENT_ERROR, make));
  }

  private String head(String method, String path, List<String> headers) {
    StringBuilder head =
        new StringBuilder(method).append(' ').append(context).append(path).append(" HTTP/1.1\r\n");
    head.append("Host: ").append(host).append("\r\n");
    head.append("Connection: close\r\n");
    for (String header : headers) {
      head.append(header).append("\r\n");
    }
    return head.append("\r\n").toString();
  }

  private RawHttp.Request post(String path, byte[] body, List<String> headers) {
    return post("POST", path, body, headers);
  }

  private RawHttp.Request post(String method, String path, byte[] body, List<String> headers) {
    List<String> all = new ArrayList<>(headers);
    all.add("Content-Length: " + body.length);
    return RawHttp.Request.of(head(method, path, all), body);
  }

  private RawHttp.Request get(String path, List<String> headers) {
    return RawHttp.Request.of(head("GET", path, headers), new byte[0]);
  }

  private RawHttp.Request signedPost(byte[] body) {
    return signedPost(body, List.of());
  }

  private RawHttp.Request signedPost(byte[] body, List<String> extra) {
    List<String> headers = new ArrayList<>(extra);
    headers.add(signatureHeader(WebhookSignature.sign(secret, body)));
    return post(WEBHOOK, body, headers);
  }

  /** Signed, with the given length headers instead of the true one. */
  private RawHttp.Request signedRaw(byte[] body, String... lengthHeaders) {
    List<String> headers = new ArrayList<>(List.of(lengthHeaders));
    headers.add(signatureHeader(WebhookSignature.sign(secret, body)));
    return RawHttp.Request.of(head("POST", WEBHOOK, headers), body);
  }

  /** A chunked request whose framing is given as it is, broken. */
  private RawHttp.Request signedRawChunked(byte[] body, String framing) {
    List<String> headers =
        List.of(signatureHeader(WebhookSignature.sign(secret, body)), "Transfer-Encoding: chunked");
    return RawHttp.Request.of(
        head("POST", WEBHOOK, headers), framing.getBytes(StandardCharsets.ISO_8859_1));
  }

  private RawHttp.Request chunked(byte[] body, int chunks, String extension) {
    StringBuilder framed = new StringBuilder();
    String text = new String(body, StandardCharsets.ISO_8859_1);
    for (int i = 0; i < chunks; i++) {
      String part = text.substring(text.length() * i / chunks, text.length() * (i + 1) / chunks);
      if (!part.isEmpty()) {
        framed
            .append(Integer.toHexString(part.length()))
            .append(extension)
            .append("\r\n")
            .append(part)
            .append("\r\n");
      }
    }
    framed.append("0\r\n\r\n");
    List<String> headers =
        List.of(signatureHeader(WebhookSignature.sign(secret, body)), "Transfer-Encoding: chunked");
    return RawHttp.Request.of(
        head("POST", WEBHOOK, headers), framed.toString().getBytes(StandardCharsets.ISO_8859_1));
  }

  private static String signatureHeader(String value) {
    return WebhookSignature.HEADER + ": " + value;
  }

  private List<String> repeated(String name, int count) {
    List<String> headers = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      headers.add(name + ": " + i);
    }
    return headers;
  }

  // ---- making bodies ----

  private static long now() {
    return System.currentTimeMillis();
  }

  private int depth;

  private int depth() {
    depth = 40 + random.nextInt(5_000);
    return depth;
  }

  private static String quote(String jsonEscaped) {
    return "\"" + jsonEscaped + "\"";
  }

  /** An event to a topic no route takes, with this raw text value; each its own sequence number. */
  private byte[] json(String rawText) {
    return json(quote("default-cache"), quote("no route here"), rawText, now());
  }

  private byte[] json(String rawCache, String rawText) {
    return json(rawCache, quote("no route here"), rawText, now());
  }

  private byte[] json(String rawCache, String rawTopic, String rawText, long published) {
    return bytes(
        "{\"cache\":"
            + rawCache
            + ",\"topic\":"
            + rawTopic
            + ",\"event_timestamp\":"
            + (published + 1)
            + ",\"publish_timestamp\":"
            + published
            + ",\"topic_sequence_number\":"
            + (++sequence)
            + ",\"token_id\":\"\",\"text\":"
            + rawText
            + "}");
  }

  private byte[] jsonWith(long sequenceNumber) {
    return bytes(
        "{\"cache\":\"default-cache\",\"topic\":\"no route here\",\"publish_timestamp\":"
            + now()
            + ",\"topic_sequence_number\":"
            + sequenceNumber
            + ",\"text\":\"edge\"}");
  }

  private byte[] validJson() {
    return json(quote("valid " + (sequence + 1)));
  }

  private byte[] withTimestamp(String raw) {
    return bytes(
        "{\"cache\":\"default-cache\",\"topic\":\"no route here\",\"publish_timestamp\":"
            + raw
            + ",\"topic_sequence_number\":"
            + (++sequence)
            + ",\"text\":\"x\"}");
  }

  private byte[] withSequence(String raw) {
    return bytes(
        "{\"cache\":\"default-cache\",\"topic\":\"no route here "
            + (++sequence)
            + "\",\"publish_timestamp\":"
            + now()
            + ",\"topic_sequence_number\":"
            + raw
            + ",\"text\":\"x\"}");
  }

  private byte[] withTokenId(String tokenId) {
    return bytes(
        "{\"cache\":\"default-cache\",\"topic\":\"no route here\",\"publish_timestamp\":"
            + now()
            + ",\"topic_sequence_number\":"
            + (++sequence)
            + ",\"token_id\":\""
            + tokenId
            + "\",\"text\":\"x\"}");
  }

  private byte[] withExtraFields(int count) {
    StringBuilder json = new StringBuilder("{");
    for (int i = 0; i < count; i++) {
      json.append("\"extra")
          .append(i)
          .append("\":")
          .append(i % 3 == 0 ? "[1,{\"a\":null}]" : i % 3 == 1 ? "\"v\"" : "true")
          .append(',');
    }
    json.append("\"cache\":\"default-cache\",\"topic\":\"no route here\",\"publish_timestamp\":")
        .append(now())
        .append(",\"topic_sequence_number\":")
        .append(++sequence)
        .append(",\"text\":\"extra\"}");
    return bytes(json.toString());
  }

  private byte[] deepObject(int depth) {
    return bytes(
        "{\"cache\":\"c\",\"x\":" + "{\"a\":".repeat(depth) + "1" + "}".repeat(depth) + "}");
  }

  private byte[] truncate(byte[] body) {
    return java.util.Arrays.copyOf(body, 1 + random.nextInt(body.length - 1));
  }

  private byte[] corruptText(int badByte) {
    byte[] body = json(quote("QQQQ"));
    body[indexOf(body, "QQQQ")] = (byte) badByte;
    return body;
  }

  private byte[] replaceText(byte[] replacement) {
    byte[] body = json(quote("QQQ"));
    System.arraycopy(replacement, 0, body, indexOf(body, "QQQ"), replacement.length);
    return body;
  }

  private static int indexOf(byte[] body, String marker) {
    return new String(body, StandardCharsets.ISO_8859_1).indexOf(marker);
  }

  private byte[] bytes(int length) {
    byte[] bytes = new byte[length];
    random.nextBytes(bytes);
    return bytes;
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] both = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, both, a.length, b.length);
    return both;
  }

  private String letters(int length) {
    char[] letters = new char[length];
    for (int i = 0; i < length; i++) {
      letters[i] = (char) ('a' + random.nextInt(26));
    }
    return new String(letters);
  }

  private static String base64(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }
}
