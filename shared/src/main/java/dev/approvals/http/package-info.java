/**
 * The HTTP adapter, in and out: recognising an API Gateway proxy event (HTTP API 2.0, REST API 1.0), reading
 * the request and the caller the authorizer established, and {@link dev.approvals.http.HttpAnswers}, the one
 * place where outcomes and refusals become HTTP answers (RFC 9457 problems).
 */
package dev.approvals.http;
