package dev.approvals.local.template.contract;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.util.HashSet;
import java.util.Set;

/**
 * The constant pool of a class file: enough to tell which methods and fields a class refers to (every call site
 * and field access goes through a constant-pool reference), without a bytecode library.
 */
final class ClassFile {

    /** A method or field reference: owner in internal form ({@code a/b/C}), name, JVM descriptor. */
    record MemberRef(String owner, String name, String descriptor) {
    }

    private final String name;
    private final Set<MemberRef> methodRefs;
    private final Set<MemberRef> fieldRefs;
    private final Set<String> classRefs;
    private final Set<String> strings;

    private ClassFile(String name, Set<MemberRef> methodRefs, Set<MemberRef> fieldRefs, Set<String> classRefs,
                      Set<String> strings) {
        this.name = name;
        this.methodRefs = Set.copyOf(methodRefs);
        this.fieldRefs = Set.copyOf(fieldRefs);
        this.classRefs = Set.copyOf(classRefs);
        this.strings = Set.copyOf(strings);
    }

    /** This class's name in internal form. */
    String name() {
        return name;
    }

    /** Methods this class calls (Methodref and InterfaceMethodref entries). */
    Set<MemberRef> methodRefs() {
        return methodRefs;
    }

    /** Fields this class reads or writes (Fieldref entries), e.g. enum constants it uses. */
    Set<MemberRef> fieldRefs() {
        return fieldRefs;
    }

    /** Classes this class names (Class entries: its super types, and every class it uses), in internal form. */
    Set<String> classRefs() {
        return classRefs;
    }

    /** Its string constants ({@code ldc "..."}), including constants of other classes inlined by the compiler. */
    Set<String> strings() {
        return strings;
    }

    static ClassFile read(byte[] bytes) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes));
        if (in.readInt() != 0xCAFEBABE) {
            throw new IOException("not a class file");
        }
        in.readUnsignedShort(); // minor version
        in.readUnsignedShort(); // major version
        int count = in.readUnsignedShort();
        int[] tags = new int[count];
        String[] utf8 = new String[count];
        int[] first = new int[count];
        int[] second = new int[count];
        for (int i = 1; i < count; i++) {
            int tag = in.readUnsignedByte();
            tags[i] = tag;
            switch (tag) {
                case 1 -> utf8[i] = in.readUTF();
                case 3, 4 -> in.readInt();
                case 5, 6 -> { // 8-byte constants take two slots
                    in.readLong();
                    i++;
                }
                case 7, 8, 16, 19, 20 -> first[i] = in.readUnsignedShort();
                case 9, 10, 11, 12, 17, 18 -> {
                    first[i] = in.readUnsignedShort();
                    second[i] = in.readUnsignedShort();
                }
                case 15 -> {
                    in.readUnsignedByte();
                    first[i] = in.readUnsignedShort();
                }
                default -> throw new IOException("unknown constant pool tag " + tag + " at " + i);
            }
        }
        in.readUnsignedShort(); // access flags
        String thisClass = utf8[first[in.readUnsignedShort()]];
        Set<MemberRef> methods = new HashSet<>();
        Set<MemberRef> fields = new HashSet<>();
        Set<String> classes = new HashSet<>();
        Set<String> strings = new HashSet<>();
        for (int i = 1; i < count; i++) {
            if (tags[i] == 7) {
                classes.add(utf8[first[i]]);
            } else if (tags[i] == 8) {
                strings.add(utf8[first[i]]);
            }
            if (tags[i] == 9 || tags[i] == 10 || tags[i] == 11) {
                String owner = utf8[first[first[i]]];
                int nameAndType = second[i];
                MemberRef ref = new MemberRef(owner, utf8[first[nameAndType]], utf8[second[nameAndType]]);
                (tags[i] == 9 ? fields : methods).add(ref);
            }
        }
        return new ClassFile(thisClass, methods, fields, classes, strings);
    }
}
