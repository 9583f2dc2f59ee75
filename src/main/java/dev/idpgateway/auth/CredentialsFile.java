package dev.idpgateway.auth;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Reads the credentials + policy file: principals, each with access keys and an IAM-style policy
 * document (Allow/Deny statements over actions and user-pool ARNs). Anything it does not understand
 * is an error rather than ignored, because an ignored Condition or NotAction would silently grant
 * more than the operator wrote. Error messages name the file and the place, and never quote values
 * or unknown field names, either of which could be a secret pasted in the wrong place.
 */
public final class CredentialsFile {
    private static final YAMLMapper YAML = YAMLMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .build();
    private static final Set<String> FILE_KEYS = Set.of("principals");
    private static final Set<String> PRINCIPAL_KEYS = Set.of("name", "accessKeys", "policy");
    private static final Set<String> ACCESS_KEY_KEYS = Set.of("id", "secret");
    private static final Set<String> POLICY_KEYS = Set.of("Version", "Id", "Statement");
    private static final Set<String> STATEMENT_KEYS = Set.of("Sid", "Effect", "Action", "Resource");
    private static final Set<String> POLICY_VERSIONS = Set.of("2012-10-17", "2008-10-17");
    /** IAM policy grammar this gateway does not support: named in errors, since none of them is a secret. */
    private static final Set<String> UNSUPPORTED_POLICY_ELEMENTS =
            Set.of("Condition", "NotAction", "NotResource", "Principal", "NotPrincipal");

    private final String source;
    private final byte[] content;

    private CredentialsFile(String source, byte[] content) {
        this.source = source;
        this.content = content;
    }

    /** Reads and parses the file. Blocking: call it off the event loop. */
    public static Credentials read(Path file) {
        return parse(readContent(file), file.toString());
    }

    /** Blocking. The message names the kind of failure only: file system messages add nothing safe to log. */
    static byte[] readContent(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new CredentialsFileException(file + ": cannot be read (" + e.getClass().getSimpleName() + ")");
        }
    }

    /** Parses file content; {@code source} names it in error messages. */
    public static Credentials parse(byte[] content, String source) {
        return new CredentialsFile(source, content).parseDocument();
    }

    private Credentials parseDocument() {
        JsonNode root;
        try {
            root = YAML.readTree(content);
        } catch (JsonProcessingException e) {
            // Only the position: the parser's own message may quote the offending line, secret and all.
            throw fail("file", "is not valid YAML (line " + e.getLocation().getLineNr()
                    + ", column " + e.getLocation().getColumnNr() + ")");
        } catch (IOException e) {
            throw fail("file", "cannot be parsed");
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            throw fail("file", "is empty");
        }
        requireObject(root, "file", FILE_KEYS);
        JsonNode principalsNode = required(root, "principals", "file");
        if (!principalsNode.isArray() || principalsNode.isEmpty()) {
            throw fail("principals", "must be a non-empty list");
        }
        List<Principal> principals = new ArrayList<>();
        List<AccessKey> keys = new ArrayList<>();
        Map<String, String> placeOfKeyId = new HashMap<>();
        Map<String, String> placeOfName = new HashMap<>();
        for (int i = 0; i < principalsNode.size(); i++) {
            String place = "principals[" + i + "]";
            JsonNode node = principalsNode.get(i);
            requireObject(node, place, PRINCIPAL_KEYS);
            String name = requiredText(node, "name", place);
            rejectDuplicate(placeOfName, name, place + ".name", "principal name");
            Principal principal = new Principal(name, parsePolicy(required(node, "policy", place), place + ".policy"));
            principals.add(principal);
            JsonNode keysNode = required(node, "accessKeys", place);
            if (!keysNode.isArray() || keysNode.isEmpty()) {
                throw fail(place + ".accessKeys", "must be a non-empty list");
            }
            for (int k = 0; k < keysNode.size(); k++) {
                String keyPlace = place + ".accessKeys[" + k + "]";
                JsonNode keyNode = keysNode.get(k);
                requireObject(keyNode, keyPlace, ACCESS_KEY_KEYS);
                String id = requiredText(keyNode, "id", keyPlace);
                if (id.chars().anyMatch(c -> c == '/' || Character.isWhitespace(c))) {
                    throw fail(keyPlace + ".id", "must not contain '/' or whitespace");
                }
                rejectDuplicate(placeOfKeyId, id, keyPlace + ".id", "access key id");
                keys.add(new AccessKey(id, requiredText(keyNode, "secret", keyPlace), principal));
            }
        }
        return new Credentials(principals, keys);
    }

    private PolicyDocument parsePolicy(JsonNode node, String place) {
        requireObject(node, place, POLICY_KEYS);
        JsonNode version = node.get("Version");
        if (version != null && !(version.isTextual() && POLICY_VERSIONS.contains(version.asText()))) {
            throw fail(place + ".Version", "must be \"2012-10-17\"");
        }
        JsonNode statementNode = required(node, "Statement", place);
        List<PolicyStatement> statements = new ArrayList<>();
        if (statementNode.isObject()) {
            statements.add(parseStatement(statementNode, place + ".Statement"));
        } else if (statementNode.isArray() && !statementNode.isEmpty()) {
            for (int i = 0; i < statementNode.size(); i++) {
                statements.add(parseStatement(statementNode.get(i), place + ".Statement[" + i + "]"));
            }
        } else {
            throw fail(place + ".Statement", "must be a statement or a non-empty list of statements");
        }
        return new PolicyDocument(statements);
    }

    private PolicyStatement parseStatement(JsonNode node, String place) {
        requireObject(node, place, STATEMENT_KEYS);
        String effect = requiredText(node, "Effect", place);
        PolicyStatement.Effect parsedEffect = switch (effect) {
            case "Allow" -> PolicyStatement.Effect.ALLOW;
            case "Deny" -> PolicyStatement.Effect.DENY;
            default -> throw fail(place + ".Effect", "must be \"Allow\" or \"Deny\"");
        };
        return new PolicyStatement(parsedEffect,
                patterns(node, "Action", place, WildcardPattern::ignoringCase),
                patterns(node, "Resource", place, WildcardPattern::caseSensitive));
    }

    /** Action and Resource: one string or a non-empty list of strings. */
    private List<WildcardPattern> patterns(JsonNode statement, String key, String place,
                                           Function<String, WildcardPattern> compile) {
        JsonNode node = required(statement, key, place);
        String keyPlace = place + "." + key;
        List<JsonNode> items = new ArrayList<>();
        if (node.isArray() && !node.isEmpty()) {
            node.forEach(items::add);
        } else if (!node.isArray()) {
            items.add(node);
        }
        if (items.isEmpty()) {
            throw fail(keyPlace, "must be a string or a non-empty list of strings");
        }
        List<WildcardPattern> patterns = new ArrayList<>();
        for (JsonNode item : items) {
            if (!item.isTextual() || item.asText().isEmpty()) {
                throw fail(keyPlace, "must be a string or a non-empty list of strings");
            }
            if (item.asText().contains("${")) {
                throw fail(keyPlace, "uses a policy variable, which this gateway does not support");
            }
            patterns.add(compile.apply(item.asText()));
        }
        return patterns;
    }

    private void requireObject(JsonNode node, String place, Set<String> supported) {
        if (!node.isObject()) {
            throw fail(place, "must be a mapping");
        }
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!supported.contains(name)) {
                String what = UNSUPPORTED_POLICY_ELEMENTS.contains(name) ? "'" + name + "' is not supported here"
                        : "unknown field" + position(place, name);
                throw fail(place, what + " (supported: " + String.join(", ", supported.stream().sorted().toList()) + ")");
            }
        }
    }

    /**
     * " at line L, column C" of field {@code name} under {@code place}, found by reading the file again
     * (the tree keeps no positions); empty when it cannot be found.
     */
    private String position(String place, String name) {
        JsonPointer parent = place.equals("file") ? JsonPointer.empty()
                : JsonPointer.compile("/" + place.replaceAll("[\\[.]", "/").replace("]", ""));
        JsonPointer field = parent.appendProperty(name);
        try (JsonParser parser = YAML.createParser(content)) {
            for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
                if (token == JsonToken.FIELD_NAME && parser.getParsingContext().pathAsPointer().equals(field)) {
                    JsonLocation at = parser.currentTokenLocation();
                    return " at line " + at.getLineNr() + ", column " + at.getColumnNr();
                }
            }
        } catch (IOException e) {
            // The file parsed a moment ago; without a position the place still says where to look.
        }
        return "";
    }

    private JsonNode required(JsonNode node, String key, String place) {
        JsonNode value = node.get(key);
        if (value == null || value.isNull()) {
            throw fail(place, "'" + key + "' is required");
        }
        return value;
    }

    private String requiredText(JsonNode node, String key, String place) {
        JsonNode value = required(node, key, place);
        if (!value.isTextual()) {
            throw fail(place + "." + key, "must be a string (quote it)");
        }
        if (value.asText().isBlank()) {
            throw fail(place + "." + key, "must not be empty");
        }
        return value.asText();
    }

    private void rejectDuplicate(Map<String, String> seen, String value, String place, String what) {
        String earlier = seen.putIfAbsent(value, place);
        if (earlier != null) {
            throw fail(place, "duplicate " + what + ", already used at " + earlier);
        }
    }

    private CredentialsFileException fail(String place, String problem) {
        return new CredentialsFileException(source + ": " + place + ": " + problem);
    }
}
