package dev.approvals.local.stack;

import dev.approvals.local.apigateway.DevSignIn;
import dev.approvals.local.dataapi.LocalDataApi;
import dev.approvals.local.template.IntrinsicResolver;
import dev.approvals.local.template.ResourceValues;
import dev.approvals.local.template.SamTemplate;

import java.util.LinkedHashMap;
import java.util.Map;

/** What the template's references mean on this machine: the emulators' ARNs and database, local parameters. */
final class LocalTemplateValues {

    private LocalTemplateValues() {
    }

    /** Template values for this machine: the emulators' ARNs and database, local parameter values. */
    static IntrinsicResolver resolver(SamTemplate template, LocalDataApi dataApi, TemplateSecrets secrets,
                                      LocalStackConfig config) {
        ResourceValues.Builder values = ResourceValues.builder()
                .attributeOfType("AWS::RDS::DBCluster", "DBClusterArn", id -> dataApi.clusterArn())
                .attributeOfType("AWS::RDS::DBCluster", "Endpoint.Address", id -> "127.0.0.1")
                .refOfType("AWS::RDS::DBCluster", id -> dataApi.config().cluster().clusterName())
                .refOfType(TemplateSecrets.SECRET_TYPE, secrets::arn)
                .refOfType("AWS::Serverless::Function", id -> id)
                .attributeOfType("AWS::Serverless::Function", "Arn",
                        id -> "arn:aws:lambda:" + config.region() + ":" + LocalStack.ACCOUNT_ID + ":function:" + id)
                .refOfType("AWS::Serverless::HttpApi", id -> "local")
                .refOfType("AWS::Logs::LogGroup", id -> "/aws/lambda/" + id);
        TemplateEvents.addLocalValues(values, template, config.region(), LocalStack.ACCOUNT_ID);
        IntrinsicResolver.Builder builder = IntrinsicResolver.forTemplate(template)
                .pseudoParameter("AWS::Region", config.region())
                .pseudoParameter("AWS::AccountId", LocalStack.ACCOUNT_ID)
                .resources(values.build());
        Map<String, String> local = new LinkedHashMap<>();
        local.put("DatabaseName", dataApi.databaseName());
        local.put("JwtIssuer", LocalStack.LOCAL_ISSUER);
        local.put("JwtAudience", LocalStack.LOCAL_CLIENT_ID);
        // the inbox page signs in with the front door's dev sign-in, on its own origin
        local.put("SignInAuthorizationEndpoint", DevSignIn.AUTHORIZE);
        local.put("SignInTokenEndpoint", DevSignIn.TOKEN);
        local.putAll(config.parameterOverrides());
        local.forEach((name, value) -> {
            if (template.parameters().containsKey(name)) {
                builder.parameter(name, value);
            } else if (config.parameterOverrides().containsKey(name)) {
                throw new IllegalArgumentException("The template has no parameter " + name);
            }
        });
        return builder.build();
    }
}
