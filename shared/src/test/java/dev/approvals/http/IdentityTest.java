package dev.approvals.http;

import dev.approvals.testing.Events;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class IdentityTest {

    @Test
    void httpApiFlattensArrayClaimsToABracketedString() {
        assertThat(Identity.groups("[admins approvers]")).containsExactlyInAnyOrder("admins", "approvers");
    }

    @Test
    void restApiCognitoSendsCommaSeparatedGroups() {
        assertThat(Identity.groups("approvers,finance")).containsExactlyInAnyOrder("approvers", "finance");
    }

    @Test
    void realListsAndQuotedJsonStyleAreUnderstood() {
        assertThat(Identity.groups(List.of("a", "b"))).containsExactlyInAnyOrder("a", "b");
        assertThat(Identity.groups("[\"a\",\"b\"]")).containsExactlyInAnyOrder("a", "b");
    }

    @Test
    void noClaim_noGroups() {
        assertThat(Identity.groups(null)).isEmpty();
        assertThat(Identity.groups("[]")).isEmpty();
    }

    @Test
    void iamCallerOfAnHttpApi_isIdentifiedByUserArn() {
        var event = Events.load("approve-http-unauthenticated.json");
        Events.at(event, "requestContext").put("authorizer",
                new java.util.HashMap<>(java.util.Map.of("iam", java.util.Map.of("userArn", "arn:aws:iam::123456789012:user/ops"))));

        assertThat(Identity.of(event, InvocationShape.HTTP_API).actor()).isEqualTo("arn:aws:iam::123456789012:user/ops");
    }

    @Test
    void aSubWeCouldNotStore_countsAsNoIdentity() {
        var event = Events.load("approve-http.json");
        Events.at(event, "requestContext", "authorizer", "jwt", "claims").put("sub", "a\u0000b");

        assertThat(Identity.of(event, InvocationShape.HTTP_API)).isNull();
    }
}
