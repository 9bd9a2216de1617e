package dev.approvals.local.events;

import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;

/**
 * Run in a child JVM by {@link SdkEndpointVariableIT}: an EventBridgeClient configured as a function's is (no
 * endpoint in code, region and credentials from the environment) puts one event and prints its id.
 */
public final class PutOneEvent {

    private PutOneEvent() {
    }

    public static void main(String[] args) {
        try (EventBridgeClient client = EventBridgeClient.builder().httpClient(UrlConnectionHttpClient.create())
                .build()) {
            System.out.println(client.putEvents(b -> b.entries(e -> e.source("dev.approvals").detailType("Ping")
                    .detail("{}"))).entries().getFirst().eventId());
        }
    }
}
