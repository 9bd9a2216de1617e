package dev.approvals.local.template;

import java.util.Map;

/**
 * A resource as written in the template (no SAM Globals applied: see {@link SamTemplate#functions()} for that).
 *
 * @param type       e.g. {@code AWS::Serverless::Function}, {@code AWS::RDS::DBCluster}
 * @param properties its {@code Properties}, empty if it has none; unmodifiable
 * @param metadata   its {@code Metadata}, empty if it has none; unmodifiable
 */
public record Resource(String logicalId, String type, Map<String, Object> properties, Map<String, Object> metadata) {
}
