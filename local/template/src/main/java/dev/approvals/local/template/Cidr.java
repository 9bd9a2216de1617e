package dev.approvals.local.template;

import java.util.ArrayList;
import java.util.List;

/** {@code Fn::Cidr}'s arithmetic: IPv4 subnets cut from a block. */
final class Cidr {

    private Cidr() {
    }

    /** The first {@code count} subnets of {@code block} (e.g. {@code 10.0.0.0/16}) with {@code hostBits} host bits. */
    static List<Object> subnets(String block, int count, int hostBits) {
        String[] parts = block.split("/");
        if (parts.length != 2 || !parts[0].matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
            throw new TemplateException("Fn::Cidr supports IPv4 blocks such as 10.0.0.0/16, not '" + block + "'");
        }
        int prefix = Integer.parseInt(parts[1]);
        int subnetPrefix = 32 - hostBits;
        if (hostBits < 0 || subnetPrefix < prefix || count < 1 || count > (1L << (subnetPrefix - prefix))) {
            throw new TemplateException("Fn::Cidr cannot cut " + count + " subnets with " + hostBits
                    + " host bits out of " + block);
        }
        long base = 0;
        for (String octet : parts[0].split("\\.")) {
            base = (base << 8) | Integer.parseInt(octet);
        }
        base &= prefix == 0 ? 0 : (0xFFFFFFFFL << (32 - prefix)) & 0xFFFFFFFFL;
        List<Object> subnets = new ArrayList<>();
        for (long i = 0; i < count; i++) {
            long address = base + (i << hostBits);
            subnets.add(((address >> 24) & 255) + "." + ((address >> 16) & 255) + "." + ((address >> 8) & 255)
                    + "." + (address & 255) + "/" + subnetPrefix);
        }
        return subnets;
    }
}
