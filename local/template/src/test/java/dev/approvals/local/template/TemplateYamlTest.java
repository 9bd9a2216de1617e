package dev.approvals.local.template;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TemplateYamlTest {

    @Test
    void everyShortFormTag_becomesItsLongForm() {
        Map<String, Object> parsed = TemplateYaml.parse("""
                Values:
                  ref: !Ref Thing
                  condition: !Condition IsProd
                  getAttDotted: !GetAtt Cluster.Endpoint.Address
                  getAttList: !GetAtt [Cluster, Arn]
                  sub: !Sub 'arn:${AWS::Partition}:s3:::${Bucket}'
                  subWithVariables: !Sub ['${A}-${B}', {A: x, B: !Ref Y}]
                  join: !Join ['', [a, !Ref B]]
                  if: !If [IsProd, 1, !Ref AWS::NoValue]
                  equals: !Equals [!Ref Env, prod]
                  and: !And [!Condition A, !Not [!Condition B]]
                  or: !Or [!Equals [a, b], !Condition C]
                  select: !Select [0, !GetAZs '']
                  split: !Split [',', 'a,b']
                  findInMap: !FindInMap [Sizes, !Ref Env, Memory]
                  importValue: !ImportValue shared-vpc
                  base64: !Base64 hello
                  cidr: !Cidr [10.0.0.0/24, 2, 6]
                """);

        assertThat(parsed.get("Values")).isEqualTo(Map.ofEntries(
                Map.entry("ref", Map.of("Ref", "Thing")),
                Map.entry("condition", Map.of("Condition", "IsProd")),
                Map.entry("getAttDotted", Map.of("Fn::GetAtt", List.of("Cluster", "Endpoint.Address"))),
                Map.entry("getAttList", Map.of("Fn::GetAtt", List.of("Cluster", "Arn"))),
                Map.entry("sub", Map.of("Fn::Sub", "arn:${AWS::Partition}:s3:::${Bucket}")),
                Map.entry("subWithVariables", Map.of("Fn::Sub",
                        List.of("${A}-${B}", Map.of("A", "x", "B", Map.of("Ref", "Y"))))),
                Map.entry("join", Map.of("Fn::Join", List.of("", List.of("a", Map.of("Ref", "B"))))),
                Map.entry("if", Map.of("Fn::If", List.of("IsProd", 1, Map.of("Ref", "AWS::NoValue")))),
                Map.entry("equals", Map.of("Fn::Equals", List.of(Map.of("Ref", "Env"), "prod"))),
                Map.entry("and", Map.of("Fn::And", List.of(Map.of("Condition", "A"),
                        Map.of("Fn::Not", List.of(Map.of("Condition", "B")))))),
                Map.entry("or", Map.of("Fn::Or", List.of(Map.of("Fn::Equals", List.of("a", "b")),
                        Map.of("Condition", "C")))),
                Map.entry("select", Map.of("Fn::Select", List.of(0, Map.of("Fn::GetAZs", "")))),
                Map.entry("split", Map.of("Fn::Split", List.of(",", "a,b"))),
                Map.entry("findInMap", Map.of("Fn::FindInMap", List.of("Sizes", Map.of("Ref", "Env"), "Memory"))),
                Map.entry("importValue", Map.of("Fn::ImportValue", "shared-vpc")),
                Map.entry("base64", Map.of("Fn::Base64", "hello")),
                Map.entry("cidr", Map.of("Fn::Cidr", List.of("10.0.0.0/24", 2, 6)))));
    }

    @Test
    void longFormIntrinsics_areReadAsWritten() {
        Map<String, Object> parsed = TemplateYaml.parse("A:\n  Fn::GetAtt: [Cluster, Arn]\n");

        assertThat(parsed).isEqualTo(Map.of("A", Map.of("Fn::GetAtt", List.of("Cluster", "Arn"))));
    }

    @Test
    void datesStayText_asCloudFormationReadsThem() {
        assertThat(TemplateYaml.parse("AWSTemplateFormatVersion: 2010-09-09\n"))
                .containsEntry("AWSTemplateFormatVersion", "2010-09-09");
    }

    @Test
    void unknownTags_duplicateKeysAndBadGetAtt_areErrors() {
        assertThatThrownBy(() -> TemplateYaml.parse("A: !Reff X\n"))
                .isInstanceOf(TemplateException.class).hasMessageContaining("!Reff");
        assertThatThrownBy(() -> TemplateYaml.parse("A: 1\nA: 2\n"))
                .isInstanceOf(TemplateException.class).hasMessageContaining("duplicate key A");
        assertThatThrownBy(() -> TemplateYaml.parse("A: !GetAtt Cluster\n"))
                .isInstanceOf(TemplateException.class).hasMessageContaining("Resource.Attribute");
        assertThatThrownBy(() -> TemplateYaml.parse("- just a list\n"))
                .isInstanceOf(TemplateException.class).hasMessageContaining("mapping at the top level");
    }
}
