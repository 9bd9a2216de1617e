package dev.approvals.local.stack;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Whether the loopback ports the stack and the CLI are asked for are free, and what to say when one is not. */
public final class Ports {

    private Ports() {
    }

    /** Every fixed port of {@code config} is free and given once; else one message naming every problem. */
    static void checkFree(LocalStackConfig config) {
        Map<String, Integer> ports = new LinkedHashMap<>();
        ports.put("--http-port", config.httpPort());
        ports.put("--lambda-port", config.lambdaPort());
        ports.put("--data-api-port", config.dataApiPort());
        ports.put("--step-functions-port", config.stepFunctionsPort());
        ports.put("--events-port", config.eventsPort());
        // every problem at once: one retry, not one per taken port
        List<String> problems = new ArrayList<>();
        Set<Integer> seen = new java.util.HashSet<>();
        ports.forEach((option, port) -> {
            if (port == 0) {
                return;
            }
            if (!seen.add(port)) {
                problems.add("Port " + port + " is given twice: pass " + option + " another one");
            } else if (!isFree(port)) {
                problems.add(portInUse(port, option));
            }
        });
        if (!problems.isEmpty()) {
            throw new IllegalStateException(String.join(System.lineSeparator(), problems));
        }
    }

    /** The message for a taken port, naming the option that changes it. */
    public static String portInUse(int port, String option) {
        return "Port " + port + " is in use: stop what uses it or pass " + option + " <another port> (0: any free port)";
    }

    public static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
