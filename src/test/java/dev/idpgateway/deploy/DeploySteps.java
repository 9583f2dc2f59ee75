package dev.idpgateway.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What the deploy steps of docs/deploying.md and README.md have the operator create by hand before
 * {@code kubectl apply -k}: the Secrets (with their keys) and the namespace labels. Read from the {@code kubectl}
 * commands in their code blocks, so that the manifests are checked against the steps as written.
 */
public final class DeploySteps {
    public static final List<Path> DOCUMENTS = List.of(Path.of("docs", "deploying.md"), Path.of("README.md"));

    private final Map<String, Set<String>> secrets = new TreeMap<>();
    private final Map<String, String> namespaceLabels = new TreeMap<>();

    private DeploySteps() {
    }

    public static DeploySteps read() {
        DeploySteps steps = new DeploySteps();
        for (Path document : DOCUMENTS) {
            try {
                if (Files.exists(document)) {
                    commands(Files.readString(document)).forEach(steps::take);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return steps;
    }

    /** The Secrets the steps create, by name, each with the keys it holds. */
    public Map<String, Set<String>> secrets() {
        return secrets;
    }

    /** The labels the steps put on namespaces ({@code kubectl label namespace <ns> key=value}). */
    public Map<String, String> namespaceLabels() {
        return namespaceLabels;
    }

    private void take(List<String> words) {
        if (words.size() > 4 && words.subList(0, 3).equals(List.of("kubectl", "create", "secret"))) {
            Set<String> keys = secrets.computeIfAbsent(words.get(4), name -> new TreeSet<>());
            if (words.get(3).equals("tls")) {
                keys.addAll(List.of("tls.crt", "tls.key"));
            }
            for (String word : words) {
                if (word.startsWith("--from-file=")) {
                    String source = word.substring("--from-file=".length());
                    keys.add(source.contains("=") ? source.substring(0, source.indexOf('=')) : Path.of(source).getFileName().toString());
                } else if (word.startsWith("--from-literal=")) {
                    String literal = word.substring("--from-literal=".length());
                    keys.add(literal.substring(0, literal.indexOf('=')));
                }
            }
        } else if (words.size() > 3 && words.subList(0, 3).equals(List.of("kubectl", "label", "namespace"))) {
            for (String word : words.subList(4, words.size())) {
                if (word.contains("=") && !word.startsWith("-")) {
                    namespaceLabels.put(word.substring(0, word.indexOf('=')), word.substring(word.indexOf('=') + 1));
                }
            }
        }
    }

    /** The kubectl commands in the document's fenced code blocks, split into words; comments and continuations handled. */
    static List<List<String>> commands(String markdown) {
        List<List<String>> commands = new ArrayList<>();
        boolean inCode = false;
        StringBuilder command = new StringBuilder();
        for (String line : markdown.split("\n")) {
            if (line.strip().startsWith("```")) {
                inCode = !inCode;
                continue;
            }
            if (!inCode) {
                continue;
            }
            String code = line.contains(" #") ? line.substring(0, line.indexOf(" #")) : line;
            if (code.strip().startsWith("#")) {
                continue;
            }
            command.append(' ').append(code.strip());
            if (code.strip().endsWith("\\")) {
                command.setLength(command.length() - 1);
                continue;
            }
            List<String> words = List.of(command.toString().strip().split("\\s+"));
            if (words.get(0).equals("kubectl")) {
                commands.add(words);
            }
            command.setLength(0);
        }
        return commands;
    }
}
