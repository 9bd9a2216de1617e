package dev.approvals.local.apigateway;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The front door's HTTP/1.1 server on loopback: it reads each request as it was sent and hands it on untouched, so
 * the event holds what the client sent. The JDK's {@code HttpServer} does not: it turns a tab in a header value
 * into a space, and answers a request whose target {@code java.net.URI} refuses (a raw {@code {}) with its own HTML
 * page. What it parses: origin-form targets, headers (optional whitespace around a value stripped, nothing inside it
 * changed), {@code Content-Length} and chunked bodies, {@code Expect: 100-continue}, keep-alive. A request it cannot
 * parse gets API Gateway's own 400 {@code {"message":"Bad Request"}} and the connection is closed.
 */
final class FrontDoorHttp implements AutoCloseable {

    /** A request as sent: the target still percent-encoded, header names in their case, values as sent. */
    record Request(String method, String target, String protocol, Map<String, List<String>> headers, byte[] body,
                   String sourceIp) {
    }

    /** Why a request cannot be read: answered with {@code status} and the connection closed. */
    static final class UnreadableRequestException extends Exception {
        private static final long serialVersionUID = 1L;
        private final int status;

        UnreadableRequestException(int status, String message) {
            super(message, null, false, false);
            this.status = status;
        }

        int status() {
            return status;
        }
    }

    private static final int MAX_LINE_BYTES = 16 * 1024;
    private static final int MAX_HEADER_BYTES = 64 * 1024;
    private static final int IDLE_TIMEOUT_MILLIS = 60_000;
    private static final DateTimeFormatter DATE = DateTimeFormatter.RFC_1123_DATE_TIME;
    private static final Pattern OPTIONAL_WHITESPACE = Pattern.compile("^[ \t]+|[ \t]+$");

    private final ServerSocket socket;
    private final int maxBodyBytes;
    private final Function<Request, HttpAnswer> handler;
    private final Function<UnreadableRequestException, HttpAnswer> refusal;
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
    private final Set<Socket> connections = ConcurrentHashMap.newKeySet();

    private FrontDoorHttp(ServerSocket socket, int maxBodyBytes, Function<Request, HttpAnswer> handler,
                          Function<UnreadableRequestException, HttpAnswer> refusal) {
        this.socket = socket;
        this.maxBodyBytes = maxBodyBytes;
        this.handler = handler;
        this.refusal = refusal;
    }

    /**
     * @param handler answers a request it could read
     * @param refusal answers one it could not (its status: 400, or 413 for a body over {@code maxBodyBytes})
     */
    static FrontDoorHttp start(int port, int maxBodyBytes, Function<Request, HttpAnswer> handler,
                               Function<UnreadableRequestException, HttpAnswer> refusal) throws IOException {
        ServerSocket socket = new ServerSocket();
        socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 256);
        FrontDoorHttp server = new FrontDoorHttp(socket, maxBodyBytes, handler, refusal);
        Thread.ofPlatform().daemon().name("http-api-accept").start(server::acceptLoop);
        return server;
    }

    int port() {
        return socket.getLocalPort();
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        connections.forEach(FrontDoorHttp::closeQuietly);
        threads.shutdownNow();
    }

    private void acceptLoop() {
        while (!socket.isClosed()) {
            try {
                Socket connection = socket.accept();
                connections.add(connection);
                threads.execute(() -> serve(connection));
            } catch (IOException e) {
                if (socket.isClosed()) {
                    return;
                }
            }
        }
    }

    private void serve(Socket connection) {
        try (connection) {
            connection.setSoTimeout(IDLE_TIMEOUT_MILLIS);
            InputStream in = new BufferedInputStream(connection.getInputStream());
            OutputStream out = connection.getOutputStream();
            String sourceIp = connection.getInetAddress().getHostAddress();
            boolean open = true;
            while (open) {
                Request request;
                try {
                    request = read(in, out, sourceIp);
                } catch (UnreadableRequestException e) {
                    write(out, refusal.apply(e), false, false);
                    return;
                }
                if (request == null) {
                    return;
                }
                open = keepAlive(request);
                write(out, handler.apply(request), request.method().equals("HEAD"), !open);
            }
        } catch (IOException e) {
            // the client went away or idled out: nothing to answer
        } finally {
            connections.remove(connection);
        }
    }

    /** The next request, or null when the client closed the connection between requests. */
    private Request read(InputStream in, OutputStream out, String sourceIp)
            throws IOException, UnreadableRequestException {
        String requestLine = line(in, MAX_LINE_BYTES, true);
        while (requestLine != null && requestLine.isEmpty()) {
            requestLine = line(in, MAX_LINE_BYTES, true); // RFC 9112 §2.2: ignore empty lines before a request
        }
        if (requestLine == null) {
            return null;
        }
        String[] parts = requestLine.split(" ", -1);
        if (parts.length != 3 || !isToken(parts[0]) || !parts[2].matches("HTTP/1\\.[01]")
                || !parts[1].startsWith("/") || hasControlCharacter(parts[1])) {
            throw new UnreadableRequestException(400, "malformed request line");
        }
        Map<String, List<String>> headers = headers(in);
        byte[] body = body(in, out, headers);
        return new Request(parts[0], parts[1], parts[2], headers, body, sourceIp);
    }

    private static Map<String, List<String>> headers(InputStream in) throws IOException, UnreadableRequestException {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        int total = 0;
        String line;
        while (!(line = required(line(in, MAX_HEADER_BYTES, false))).isEmpty()) {
            total += line.length();
            int colon = line.indexOf(':');
            if (total > MAX_HEADER_BYTES || colon <= 0 || !isToken(line.substring(0, colon))) {
                // also a folded line (obs-fold), which RFC 9112 §5.2 lets a server refuse
                throw new UnreadableRequestException(400, "malformed header");
            }
            String name = line.substring(0, colon);
            String existing = headers.keySet().stream().filter(name::equalsIgnoreCase).findFirst().orElse(name);
            headers.computeIfAbsent(existing, n -> new ArrayList<>()).add(stripOptionalWhitespace(line.substring(colon + 1)));
        }
        return headers;
    }

    private byte[] body(InputStream in, OutputStream out, Map<String, List<String>> headers)
            throws IOException, UnreadableRequestException {
        List<String> encodings = values(headers, "transfer-encoding");
        List<String> lengths = values(headers, "content-length");
        if (!encodings.isEmpty() && !lengths.isEmpty()) {
            throw new UnreadableRequestException(400, "both Transfer-Encoding and Content-Length");
        }
        boolean chunked = !encodings.isEmpty();
        if (chunked && !(encodings.size() == 1 && encodings.getFirst().equalsIgnoreCase("chunked"))) {
            throw new UnreadableRequestException(400, "unsupported Transfer-Encoding");
        }
        long length = lengths.isEmpty() ? 0 : contentLength(lengths);
        if (length > maxBodyBytes) {
            throw new UnreadableRequestException(413, "body over " + maxBodyBytes + " bytes");
        }
        if ((chunked || length > 0) && values(headers, "expect").stream().anyMatch("100-continue"::equalsIgnoreCase)) {
            out.write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
        }
        return chunked ? chunks(in) : exactly(in, (int) length);
    }

    private byte[] chunks(InputStream in) throws IOException, UnreadableRequestException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            String size = required(line(in, MAX_LINE_BYTES, false));
            int extension = size.indexOf(';');
            long chunk;
            try {
                chunk = Long.parseLong((extension < 0 ? size : size.substring(0, extension)).strip(), 16);
            } catch (NumberFormatException e) {
                throw new UnreadableRequestException(400, "malformed chunk size");
            }
            if (chunk < 0 || body.size() + chunk > maxBodyBytes) {
                throw new UnreadableRequestException(chunk < 0 ? 400 : 413, "chunked body over " + maxBodyBytes + " bytes");
            }
            if (chunk == 0) {
                while (!required(line(in, MAX_HEADER_BYTES, false)).isEmpty()) {
                    // trailer fields are read and dropped
                }
                return body.toByteArray();
            }
            body.writeBytes(exactly(in, (int) chunk));
            if (!required(line(in, MAX_LINE_BYTES, false)).isEmpty()) {
                throw new UnreadableRequestException(400, "malformed chunk");
            }
        }
    }

    private static byte[] exactly(InputStream in, int length) throws IOException, UnreadableRequestException {
        byte[] bytes = in.readNBytes(length);
        if (bytes.length < length) {
            throw new UnreadableRequestException(400, "body shorter than announced");
        }
        return bytes;
    }

    private static long contentLength(List<String> lengths) throws UnreadableRequestException {
        if (lengths.stream().distinct().count() != 1 || !lengths.getFirst().matches("[0-9]{1,18}")) {
            throw new UnreadableRequestException(400, "malformed Content-Length");
        }
        return Long.parseLong(lengths.getFirst());
    }

    /**
     * One line without its CRLF (a bare LF is tolerated), bytes as ISO-8859-1 characters; null at the end of the
     * stream before any byte (only allowed between requests).
     */
    private static String line(InputStream in, int max, boolean endAllowed) throws IOException, UnreadableRequestException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != '\n') {
            if (b < 0) {
                if (endAllowed && line.size() == 0) {
                    return null;
                }
                throw new UnreadableRequestException(400, "incomplete request");
            }
            if (line.size() >= max) {
                throw new UnreadableRequestException(400, "line too long");
            }
            line.write(b);
        }
        byte[] bytes = line.toByteArray();
        int end = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
        return new String(bytes, 0, end, StandardCharsets.ISO_8859_1);
    }

    private static String required(String line) throws UnreadableRequestException {
        if (line == null) {
            throw new UnreadableRequestException(400, "incomplete request");
        }
        return line;
    }

    private static boolean keepAlive(Request request) {
        List<String> connection = values(request.headers(), "connection");
        boolean close = connection.stream().anyMatch("close"::equalsIgnoreCase);
        boolean keep = connection.stream().anyMatch("keep-alive"::equalsIgnoreCase);
        return request.protocol().equals("HTTP/1.1") ? !close : keep;
    }

    private static void write(OutputStream out, HttpAnswer answer, boolean toHead, boolean close) throws IOException {
        StringBuilder head = new StringBuilder("HTTP/1.1 ").append(answer.status()).append(' ')
                .append(reasonPhrase(answer.status())).append("\r\n");
        for (Map.Entry<String, String> header : answer.headers()) {
            head.append(header.getKey()).append(": ").append(header.getValue()).append("\r\n");
        }
        head.append("Date: ").append(DATE.format(ZonedDateTime.now(ZoneOffset.UTC))).append("\r\n");
        boolean bodyless = answer.status() == 204 || answer.status() == 304;
        if (!bodyless) {
            head.append("Content-Length: ").append(answer.body().length).append("\r\n");
        }
        if (close) {
            head.append("Connection: close\r\n");
        }
        out.write(head.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
        if (!toHead && !bodyless) {
            out.write(answer.body());
        }
        out.flush();
    }

    /** RFC 9110 §15's reason phrases, for every status the front door passes on or sends (the JDK's lacks 422, 428). */
    static String reasonPhrase(int status) {
        return switch (status) {
            case 200 -> "OK";
            case 201 -> "Created";
            case 202 -> "Accepted";
            case 204 -> "No Content";
            case 301 -> "Moved Permanently";
            case 302 -> "Found";
            case 303 -> "See Other";
            case 304 -> "Not Modified";
            case 307 -> "Temporary Redirect";
            case 308 -> "Permanent Redirect";
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 406 -> "Not Acceptable";
            case 408 -> "Request Timeout";
            case 409 -> "Conflict";
            case 410 -> "Gone";
            case 411 -> "Length Required";
            case 412 -> "Precondition Failed";
            case 413 -> "Content Too Large";
            case 414 -> "URI Too Long";
            case 415 -> "Unsupported Media Type";
            case 422 -> "Unprocessable Content";
            case 428 -> "Precondition Required";
            case 429 -> "Too Many Requests";
            case 431 -> "Request Header Fields Too Large";
            case 500 -> "Internal Server Error";
            case 501 -> "Not Implemented";
            case 502 -> "Bad Gateway";
            case 503 -> "Service Unavailable";
            case 504 -> "Gateway Timeout";
            default -> "";
        };
    }

    private static List<String> values(Map<String, List<String>> headers, String name) {
        List<String> values = new ArrayList<>();
        headers.forEach((key, list) -> {
            if (key.equalsIgnoreCase(name)) {
                list.forEach(v -> {
                    for (String part : v.split(",")) {
                        if (!part.isBlank()) {
                            values.add(part.strip().toLowerCase(Locale.ROOT));
                        }
                    }
                });
            }
        });
        return values;
    }

    /** RFC 9110 §5.5: spaces and tabs around a field value are not part of it; inside, everything is kept. */
    private static String stripOptionalWhitespace(String value) {
        return OPTIONAL_WHITESPACE.matcher(value).replaceAll("");
    }

    private static boolean isToken(String text) {
        return !text.isEmpty() && text.chars().allMatch(c -> c > 0x20 && c < 0x7f && "\"(),/:;<=>?@[\\]{}".indexOf(c) < 0);
    }

    private static boolean hasControlCharacter(String text) {
        return text.chars().anyMatch(c -> c < 0x20 || c == 0x7f);
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
