package dev.approvals.functions.migrate;

import java.net.URI;
import java.util.Map;

/**
 * The part of a CloudFormation custom resource request this function uses.
 *
 * @param requestType        Create, Update or Delete
 * @param responseUrl        the pre-signed S3 URL the answer must be PUT to; a credential, so never logged
 * @param physicalResourceId null on Create
 * @param properties         {@code ResourceProperties}: ClusterArn, SecretArn, Database (and ServiceToken etc.)
 */
record CustomResourceEvent(String requestType, URI responseUrl, String stackId, String requestId,
                           String logicalResourceId, String physicalResourceId, Map<String, Object> properties) {

    /**
     * Reads a parsed request. Returns null when it has no usable ResponseURL: then there is nobody to answer,
     * and the caller can only log.
     */
    static CustomResourceEvent of(Map<String, Object> event) {
        if (!(event.get("ResponseURL") instanceof String url) || url.isBlank()) {
            return null;
        }
        URI responseUrl;
        try {
            responseUrl = URI.create(url);
        } catch (IllegalArgumentException e) {
            return null;
        }
        if (responseUrl.getScheme() == null || responseUrl.getHost() == null) {
            return null;
        }
        return new CustomResourceEvent(text(event, "RequestType"), responseUrl, text(event, "StackId"),
                text(event, "RequestId"), text(event, "LogicalResourceId"), text(event, "PhysicalResourceId"),
                event.get("ResourceProperties") instanceof Map<?, ?> props ? castMap(props) : Map.of());
    }

    /** A resource property as text, or null when it is missing or blank. */
    String property(String name) {
        return properties.get(name) instanceof String value && !value.isBlank() ? value : null;
    }

    private static String text(Map<String, Object> event, String name) {
        return event.get(name) instanceof String value ? value : null;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> castMap(Map<?, ?> map) {
        return (Map<String, Object>) map;
    }
}
