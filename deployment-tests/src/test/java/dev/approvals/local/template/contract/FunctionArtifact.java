package dev.approvals.local.template.contract;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * What a function's deployable zip (classes at the root, jars in {@code lib/}, as Lambda loads it) contains and
 * does: its classes, the environment variables its code reads, the AWS operations it calls, and which decision a
 * handler makes. Facts come from the bytes that get deployed, not from the source tree.
 */
final class FunctionArtifact implements AutoCloseable {

    /** SDK v2 service clients: {@code software/amazon/awssdk/services/<package>/<Name>Client} (or AsyncClient). */
    private static final Pattern SDK_CLIENT =
            Pattern.compile("software/amazon/awssdk/services/([a-z0-9]+)/[A-Za-z0-9]+(Async)?Client");
    /** Our code's convention: every variable a module reads is a constant of a class named EnvironmentVariables. */
    private static final String ENVIRONMENT_CONSTANTS = "EnvironmentVariables";
    private static final String OUR_PACKAGE = "dev/approvals/";
    private static final String DECISION_ENUM = "dev/approvals/core/Decision";
    /**
     * Our code's convention for HTTP routes: the constants of enums named Route ({@code dev.approvals.http.Route}
     * for the API, the inbox function's own for the page), each with a {@code routeKey()}. A handler serves those
     * its code refers to (besides its decision's).
     */
    private static final String ROUTE_ENUM_NAME = "/Route";
    /** The API's routes: each needs a caller the JWT authorizer verified. */
    private static final String API_ROUTE_ENUM = "dev/approvals/http/Route";

    private final Path zip;
    private final Path unpacked;
    private final URLClassLoader loader;
    private final Map<String, ClassFile> classes;

    private FunctionArtifact(Path zip, Path unpacked, URLClassLoader loader, Map<String, ClassFile> classes) {
        this.zip = zip;
        this.unpacked = unpacked;
        this.loader = loader;
        this.classes = classes;
    }

    /** Unpacks {@code zip} into {@code workDirectory} and reads every class in it (its own and its lib/ jars'). */
    static FunctionArtifact open(Path zip, Path workDirectory) {
        try {
            unzip(zip, workDirectory);
            List<URL> classPath = new ArrayList<>();
            classPath.add(workDirectory.toUri().toURL());
            Map<String, ClassFile> classes = new LinkedHashMap<>();
            try (Stream<Path> files = Files.walk(workDirectory)) {
                for (Path file : files.filter(Files::isRegularFile).toList()) {
                    String relative = workDirectory.relativize(file).toString().replace('\\', '/');
                    if (relative.startsWith("lib/") && relative.endsWith(".jar")) {
                        classPath.add(file.toUri().toURL());
                        readJar(file, classes);
                    } else if (isClassEntry(relative)) {
                        put(classes, Files.readAllBytes(file));
                    }
                }
            }
            // Only the artifact and the JDK: nothing from the test's own class path can make a class "exist".
            URLClassLoader loader = new URLClassLoader(classPath.toArray(URL[]::new),
                    ClassLoader.getPlatformClassLoader());
            return new FunctionArtifact(zip, workDirectory, loader, classes);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + zip, e);
        }
    }

    Path zip() {
        return zip;
    }

    /**
     * Why Lambda could not run {@code handler} ({@code package.Class::method}) from this artifact, or empty if it
     * can: the class exists, is public and concrete with a public no-argument constructor, and has a public
     * method of that name.
     */
    Optional<String> handlerProblem(String handler) {
        String[] parts = handler.split("::", -1);
        if (parts.length != 2 || parts[0].isBlank() || parts[1].isBlank()) {
            return Optional.of("Handler '" + handler + "' is not in the form package.Class::method");
        }
        Class<?> type;
        try {
            type = Class.forName(parts[0], false, loader);
        } catch (ClassNotFoundException | LinkageError e) {
            return Optional.of("class " + parts[0] + " is not in " + zip);
        }
        if (!Modifier.isPublic(type.getModifiers()) || Modifier.isAbstract(type.getModifiers())) {
            return Optional.of("class " + parts[0] + " must be public and concrete");
        }
        try {
            if (!Modifier.isPublic(type.getConstructor().getModifiers())) {
                return Optional.of("class " + parts[0] + " needs a public no-argument constructor");
            }
        } catch (NoSuchMethodException e) {
            return Optional.of("class " + parts[0] + " needs a public no-argument constructor");
        }
        for (Method method : type.getMethods()) {
            if (method.getName().equals(parts[1])) {
                return Optional.empty();
            }
        }
        return Optional.of("class " + parts[0] + " has no public method " + parts[1]);
    }

    /**
     * The variables the code behind {@code handlerClass} reads: the constants of our classes named
     * {@value #ENVIRONMENT_CONSTANTS} that a class reachable from the handler uses (the compiler copies a string
     * constant into every class that uses it). A function reads only its own variables even though every zip
     * holds all of {@code EnvironmentVariables}.
     */
    Set<String> environmentVariablesRead(String handlerClass) {
        Set<String> declared = new TreeSet<>();
        for (String internalName : classes.keySet()) {
            if (internalName.startsWith(OUR_PACKAGE) && internalName.endsWith("/" + ENVIRONMENT_CONSTANTS)) {
                declared.addAll(stringConstants(internalName.replace('/', '.')));
            }
        }
        Set<String> used = new TreeSet<>();
        for (String reachable : reachableFrom(handlerClass)) {
            if (!reachable.endsWith("/" + ENVIRONMENT_CONSTANTS)) {
                used.addAll(classes.get(reachable).strings());
            }
        }
        declared.retainAll(used);
        return declared;
    }

    /**
     * The HTTP route keys (e.g. {@code GET /approvals}) of the {@code Route} constants that the code behind
     * {@code handlerClass} refers to.
     */
    Set<String> routesReferencedBy(String handlerClass) {
        Set<String> enums = routeEnums();
        Set<String> constants = new TreeSet<>();
        for (String reachable : reachableFrom(handlerClass)) {
            if (enums.contains(reachable)) {
                continue; // the enum's own initialiser names every constant
            }
            for (ClassFile.MemberRef ref : classes.get(reachable).fieldRefs()) {
                if (enums.contains(ref.owner()) && ref.descriptor().equals("L" + ref.owner() + ";")) {
                    constants.add(ref.owner() + "." + ref.name());
                }
            }
        }
        Map<String, String> keys = routeKeys();
        Set<String> routes = new TreeSet<>();
        constants.forEach(constant -> routes.add(keys.get(constant)));
        return routes;
    }

    /**
     * Every route of the code: {@code <enum>.<constant>} (the enum's internal name) to route key; empty when the
     * artifact has none.
     */
    Map<String, String> routeKeys() {
        Map<String, String> keys = new LinkedHashMap<>();
        for (String routeEnum : routeEnums()) {
            try {
                Class<?> type = Class.forName(routeEnum.replace('/', '.'), true, loader);
                Method routeKey = type.getMethod("routeKey");
                for (Object constant : type.getEnumConstants()) {
                    keys.put(routeEnum + "." + ((Enum<?>) constant).name(), (String) routeKey.invoke(constant));
                }
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("Cannot read the routes of " + routeEnum + " in " + zip, e);
            }
        }
        return keys;
    }

    /** The route keys of the code's Route enums other than the API's: the page's, which need no token. */
    Set<String> pageRouteKeys() {
        Set<String> keys = new TreeSet<>();
        routeKeys().forEach((constant, key) -> {
            if (!constant.startsWith(API_ROUTE_ENUM + ".")) {
                keys.add(key);
            }
        });
        return keys;
    }

    private Set<String> routeEnums() {
        Set<String> enums = new TreeSet<>();
        for (String name : classes.keySet()) {
            if (name.startsWith(OUR_PACKAGE) && name.endsWith(ROUTE_ENUM_NAME)) {
                enums.add(name);
            }
        }
        return enums;
    }

    /** The text of the files the artifact holds under {@code directory} (e.g. its packaged migrations). */
    List<String> resourceTexts(String directory) {
        Path root = unpacked.resolve(directory);
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(root)) {
            List<String> texts = new ArrayList<>();
            for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                texts.add(Files.readString(file));
            }
            return texts;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Our classes reachable from {@code className} through the classes each one names. */
    private Set<String> reachableFrom(String className) {
        Set<String> reached = new TreeSet<>();
        java.util.Deque<String> pending = new java.util.ArrayDeque<>(List.of(className.replace('.', '/')));
        while (!pending.isEmpty()) {
            String next = pending.pop();
            ClassFile classFile = classes.get(next);
            if (classFile == null || !next.startsWith(OUR_PACKAGE) || !reached.add(next)) {
                continue;
            }
            pending.addAll(classFile.classRefs());
            classFile.methodRefs().forEach(ref -> pending.add(ref.owner()));
            classFile.fieldRefs().forEach(ref -> pending.add(ref.owner()));
        }
        return reached;
    }

    /**
     * Our classes that read one environment variable by name ({@code System.getenv(String)}), which the
     * environment rule could not see: variables must be read through an {@value #ENVIRONMENT_CONSTANTS} constant.
     */
    Set<String> classesReadingVariablesDirectly() {
        Set<String> readers = new TreeSet<>();
        for (ClassFile classFile : classes.values()) {
            if (!classFile.name().startsWith(OUR_PACKAGE)) {
                continue;
            }
            for (ClassFile.MemberRef ref : classFile.methodRefs()) {
                if (ref.owner().equals("java/lang/System") && ref.name().equals("getenv")
                        && ref.descriptor().startsWith("(Ljava/lang/String;)")) {
                    readers.add(classFile.name().replace('/', '.'));
                }
            }
        }
        return readers;
    }

    /**
     * The IAM actions of the SDK operations the code behind {@code handlerClass} calls ({@code prefix:Operation}),
     * found from the client method references of our classes reachable from it (a class the handler never reaches,
     * such as the Step Functions callbacks in the read function's zip, calls nothing). The IAM prefix is the client's own
     * {@code SERVICE_NAME} (its signing name, e.g. {@code rds-data}, {@code states}); the operation comes from the
     * method's request or response type.
     */
    Set<String> iamActionsCalled(String handlerClass) {
        Set<String> actions = new TreeSet<>();
        for (String reachable : reachableFrom(handlerClass)) {
            ClassFile classFile = classes.get(reachable);
            for (ClassFile.MemberRef ref : classFile.methodRefs()) {
                Matcher client = SDK_CLIENT.matcher(ref.owner());
                if (!client.matches()) {
                    continue;
                }
                String modelPrefix = "Lsoftware/amazon/awssdk/services/" + client.group(1) + "/model/";
                String operation = operation(ref.descriptor(), modelPrefix);
                if (operation != null) {
                    actions.add(serviceName(ref.owner()) + ":" + operation);
                }
            }
        }
        return actions;
    }

    /** The {@code Decision} constant the class refers to (e.g. APPROVE), if exactly one. */
    Optional<String> decisionMadeBy(String className) {
        ClassFile classFile = classes.get(className.replace('.', '/'));
        if (classFile == null) {
            return Optional.empty();
        }
        Set<String> decisions = new TreeSet<>();
        for (ClassFile.MemberRef ref : classFile.fieldRefs()) {
            if (ref.owner().equals(DECISION_ENUM) && ref.descriptor().equals("L" + DECISION_ENUM + ";")) {
                decisions.add(ref.name());
            }
        }
        return decisions.size() == 1 ? Optional.of(decisions.iterator().next()) : Optional.empty();
    }

    /** The constants of the {@code Decision} enum in this artifact; empty if it has none. */
    List<String> decisions() {
        if (!classes.containsKey(DECISION_ENUM)) {
            return List.of();
        }
        try {
            Class<?> type = Class.forName(DECISION_ENUM.replace('/', '.'), false, loader);
            List<String> names = new ArrayList<>();
            for (Object constant : type.getEnumConstants()) {
                names.add(((Enum<?>) constant).name());
            }
            return names;
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Whether any class of the artifact is in this package (e.g. the public errors package). */
    boolean hasPackage(String packageName) {
        String prefix = packageName.replace('.', '/') + "/";
        return classes.keySet().stream().anyMatch(name -> name.startsWith(prefix) && !name.substring(prefix.length()).contains("/"));
    }

    /**
     * Why a Step Functions error name could never be this artifact's thrown exception, or empty: Lambda reports an
     * exception by its class's binary name, so the name must be a concrete, top-level exception class of
     * {@code packageName} ({@code Outer$Inner} names are a trap).
     */
    Optional<String> errorClassProblem(String errorName, String packageName) {
        if (!errorName.startsWith(packageName + ".") || errorName.substring(packageName.length() + 1).contains(".")) {
            return Optional.of("which is neither a Step Functions error (States.*, Lambda.*) nor a class of " + packageName);
        }
        if (errorName.contains("$")) {
            return Optional.of("a nested class name: use top-level exception classes");
        }
        Class<?> type;
        try {
            type = Class.forName(errorName, false, loader);
        } catch (ClassNotFoundException | LinkageError e) {
            return Optional.of("which is not a class in " + zip.getFileName() + " (" + zip.getParent() + ")");
        }
        if (!Throwable.class.isAssignableFrom(type)) {
            return Optional.of("which is not an exception class");
        }
        if (type.getEnclosingClass() != null) {
            return Optional.of("a nested class: use top-level exception classes");
        }
        if (Modifier.isAbstract(type.getModifiers())) {
            return Optional.of("an abstract class, never thrown as such: Lambda reports the concrete class's name");
        }
        return Optional.empty();
    }

    @Override
    public void close() throws IOException {
        loader.close();
    }

    /** Sync clients return {@code <Op>Response}; other forms (async, paginators) take an {@code <Op>Request}. */
    private static String operation(String descriptor, String modelPrefix) {
        Matcher response = Pattern.compile("\\)" + Pattern.quote(modelPrefix) + "(\\w+)Response;").matcher(descriptor);
        if (response.find()) {
            return response.group(1);
        }
        Matcher request = Pattern.compile("\\(" + Pattern.quote(modelPrefix) + "(\\w+)Request;").matcher(descriptor);
        return request.find() ? request.group(1) : null;
    }

    private String serviceName(String clientInternalName) {
        List<String> names = stringConstantsNamed(clientInternalName.replace('/', '.'), "SERVICE_NAME");
        if (names.size() != 1) {
            throw new IllegalStateException(clientInternalName + " has no SERVICE_NAME constant");
        }
        return names.getFirst();
    }

    private List<String> stringConstants(String className) {
        return stringConstantsNamed(className, null);
    }

    private List<String> stringConstantsNamed(String className, String onlyName) {
        try {
            Class<?> type = Class.forName(className, true, loader);
            List<String> values = new ArrayList<>();
            for (Field field : type.getFields()) {
                int modifiers = field.getModifiers();
                if (Modifier.isStatic(modifiers) && Modifier.isFinal(modifiers) && field.getType() == String.class
                        && (onlyName == null || field.getName().equals(onlyName))) {
                    values.add((String) field.get(null));
                }
            }
            return values;
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("Cannot read the constants of " + className + " in " + zip, e);
        }
    }

    private static void readJar(Path jar, Map<String, ClassFile> classes) throws IOException {
        try (JarFile file = new JarFile(jar.toFile())) {
            for (JarEntry entry : Collections.list(file.entries())) {
                if (isClassEntry(entry.getName())) {
                    try (InputStream in = file.getInputStream(entry)) {
                        put(classes, in.readAllBytes());
                    }
                }
            }
        }
    }

    private static boolean isClassEntry(String name) {
        return name.endsWith(".class") && !name.startsWith("META-INF/") && !name.endsWith("module-info.class");
    }

    private static void put(Map<String, ClassFile> classes, byte[] bytes) throws IOException {
        ClassFile classFile = ClassFile.read(bytes);
        classes.putIfAbsent(classFile.name(), classFile);
    }

    private static void unzip(Path zip, Path target) throws IOException {
        try (ZipFile file = new ZipFile(zip.toFile())) {
            for (ZipEntry entry : Collections.list(file.entries())) {
                Path out = target.resolve(entry.getName()).normalize();
                if (!out.startsWith(target)) {
                    throw new IOException("Entry outside the archive root: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(out);
                } else {
                    Files.createDirectories(out.getParent());
                    try (InputStream in = file.getInputStream(entry)) {
                        Files.copy(in, out);
                    }
                }
            }
        }
    }
}
