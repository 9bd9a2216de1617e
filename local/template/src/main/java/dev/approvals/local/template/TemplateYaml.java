package dev.approvals.local.template;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.AbstractConstruct;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Reads a CloudFormation/SAM template written in YAML. Every short-form intrinsic tag becomes its long (JSON)
 * form, so the rest of this package sees one shape whichever the author wrote: {@code !Ref X} becomes
 * {@code {Ref: X}}, {@code !GetAtt A.B} becomes {@code {Fn::GetAtt: [A, B]}}, {@code !Sub s} becomes
 * {@code {Fn::Sub: s}}, and so on.
 */
public final class TemplateYaml {

    /** Short-form tag to long-form key, as CloudFormation defines them. */
    static final Map<String, String> SHORT_FORMS = Map.ofEntries(
            Map.entry("!Ref", "Ref"),
            Map.entry("!Condition", "Condition"),
            Map.entry("!GetAtt", "Fn::GetAtt"),
            Map.entry("!Sub", "Fn::Sub"),
            Map.entry("!Join", "Fn::Join"),
            Map.entry("!If", "Fn::If"),
            Map.entry("!Equals", "Fn::Equals"),
            Map.entry("!And", "Fn::And"),
            Map.entry("!Or", "Fn::Or"),
            Map.entry("!Not", "Fn::Not"),
            Map.entry("!Select", "Fn::Select"),
            Map.entry("!Split", "Fn::Split"),
            Map.entry("!FindInMap", "Fn::FindInMap"),
            Map.entry("!ImportValue", "Fn::ImportValue"),
            Map.entry("!Base64", "Fn::Base64"),
            Map.entry("!Cidr", "Fn::Cidr"),
            Map.entry("!GetAZs", "Fn::GetAZs"));

    private TemplateYaml() {
    }

    /** Parses a template file; the message of any failure names the file and, for YAML errors, the line. */
    public static Map<String, Object> read(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read template " + file, e);
        }
        try {
            return parse(text);
        } catch (TemplateException e) {
            throw new TemplateException(file + ": " + e.getMessage(), e);
        }
    }

    /** Parses template text; the top level must be a mapping. */
    public static Map<String, Object> parse(String yaml) {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false); // CloudFormation rejects duplicate keys too
        Object document;
        try {
            document = new Yaml(new CloudFormationConstructor(options)).load(yaml);
        } catch (YAMLException e) {
            throw new TemplateException("Not a valid CloudFormation YAML template: " + e.getMessage(), e);
        }
        if (!(document instanceof Map<?, ?> map)) {
            throw new TemplateException("A template must be a YAML mapping at the top level");
        }
        return Values.asMap(map, "the template");
    }

    /** SafeConstructor (no arbitrary types) plus CloudFormation's tags; timestamps stay text, as CloudFormation reads them. */
    private static final class CloudFormationConstructor extends SafeConstructor {

        CloudFormationConstructor(LoaderOptions options) {
            super(options);
            SHORT_FORMS.forEach((tag, longForm) -> yamlConstructors.put(new Tag(tag), new ShortForm(longForm)));
            yamlConstructors.put(Tag.TIMESTAMP, new AbstractConstruct() {
                @Override
                public Object construct(Node node) {
                    return constructScalar((ScalarNode) node);
                }
            });
        }

        private final class ShortForm extends AbstractConstruct {
            private final String longForm;

            ShortForm(String longForm) {
                this.longForm = longForm;
            }

            @Override
            public Object construct(Node node) {
                Object argument = switch (node) {
                    case ScalarNode scalar -> constructScalar(scalar);
                    case SequenceNode sequence -> constructSequence(sequence);
                    case MappingNode mapping -> constructMapping(mapping);
                    default -> throw new YAMLException("Unexpected node for " + longForm + ": " + node);
                };
                // !GetAtt Resource.Attribute is the short form of [Resource, Attribute]; attributes may hold dots.
                if (longForm.equals("Fn::GetAtt") && argument instanceof String dotted) {
                    int dot = dotted.indexOf('.');
                    if (dot <= 0 || dot == dotted.length() - 1) {
                        throw new YAMLException("!GetAtt needs Resource.Attribute, got '" + dotted + "'"
                                + node.getStartMark());
                    }
                    argument = List.of(dotted.substring(0, dot), dotted.substring(dot + 1));
                }
                return Map.of(longForm, argument);
            }
        }
    }
}
