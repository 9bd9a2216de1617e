package dev.approvals.local.template;

import java.util.List;
import java.util.Optional;

/**
 * A template parameter.
 *
 * @param type          CloudFormation's parameter type, e.g. {@code String}, {@code Number}, {@code CommaDelimitedList}
 * @param defaultValue  the default as text (CloudFormation hands every parameter value over as text), if any
 * @param allowedValues empty when any value is allowed
 */
public record Parameter(String name, String type, Optional<String> defaultValue, String description,
                        List<String> allowedValues) {
}
