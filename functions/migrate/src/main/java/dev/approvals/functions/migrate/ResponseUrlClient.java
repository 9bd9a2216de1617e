package dev.approvals.functions.migrate;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** PUTs the answer to CloudFormation's pre-signed S3 URL, with a few quick retries: a lost answer stalls the stack. */
final class ResponseUrlClient {

    private static final int ATTEMPTS = 3;

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    /**
     * @throws IOException when every attempt failed; the message never contains the URL (it is a credential)
     */
    void put(URI url, byte[] body) throws IOException, InterruptedException {
        // No Content-Type: the URL is signed without one, as CloudFormation's own cfn-response module sends it.
        HttpRequest request = HttpRequest.newBuilder(url)
                .timeout(Duration.ofSeconds(10))
                .PUT(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        IOException last = null;
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            try {
                HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() / 100 == 2) {
                    return;
                }
                last = new IOException("the response URL answered HTTP " + response.statusCode());
            } catch (IOException e) {
                last = new IOException("the response URL could not be reached: " + e.getClass().getSimpleName());
            }
            if (attempt < ATTEMPTS) {
                Thread.sleep(500L * attempt);
            }
        }
        throw last;
    }
}
