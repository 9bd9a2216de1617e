/**
 * The loopback HTTP server every local stand-in runs on: the JDK's {@code HttpServer} bound to 127.0.0.1, small
 * handlers registered by path prefix, its own threads, and one way to stop. No dependencies beyond the JDK.
 */
package dev.approvals.local.loopback;
