package dev.idpgateway.deploy;

import org.w3c.dom.Document;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPath;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathExpressionException;
import javax.xml.xpath.XPathFactory;

/**
 * The container image as pom.xml's Jib configuration builds it: its name, entrypoint, arguments, ports and user,
 * with the build's properties (${project.version}, ${main.class}, ...) filled in.
 */
public record ImageConfig(String image, List<String> entrypoint, List<String> args, List<Integer> ports, String user) {
    private static final Path POM = Path.of("pom.xml");
    private static final Pattern PROPERTY = Pattern.compile("\\$\\{([^}]+)}");
    private static final String JIB = "/project/build/plugins/plugin[artifactId='jib-maven-plugin']/configuration";

    public static ImageConfig read() {
        try {
            Document pom = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(POM.toFile());
            XPath xpath = XPathFactory.newInstance().newXPath();
            Map<String, String> properties = new HashMap<>();
            NodeList declared = (NodeList) xpath.evaluate("/project/properties/*", pom, XPathConstants.NODESET);
            for (int i = 0; i < declared.getLength(); i++) {
                properties.put(declared.item(i).getNodeName(), declared.item(i).getTextContent().trim());
            }
            properties.put("project.version", xpath.evaluate("/project/version", pom).trim());
            properties.put("project.build.finalName", xpath.evaluate("/project/build/finalName", pom).trim());
            List<Integer> ports = new ArrayList<>();
            for (String port : texts(xpath, pom, JIB + "/container/ports/port", properties)) {
                ports.add(Integer.parseInt(port));
            }
            return new ImageConfig(
                    resolve(xpath.evaluate(JIB + "/to/image", pom).trim(), properties),
                    texts(xpath, pom, JIB + "/container/entrypoint/arg", properties),
                    texts(xpath, pom, JIB + "/container/args/arg", properties),
                    ports,
                    xpath.evaluate(JIB + "/container/user", pom).trim());
        } catch (Exception e) {
            throw new AssertionError("pom.xml's Jib configuration could not be read", e);
        }
    }

    /** The value of the entrypoint's {@code -XX:Name=value} or {@code -Dname=value} flag. */
    public Optional<String> flag(String prefix) {
        return entrypoint.stream().filter(arg -> arg.startsWith(prefix + "=")).map(arg -> arg.substring(prefix.length() + 1)).findFirst();
    }

    /** The user id the image runs as ({@code <user>uid:gid</user>}). */
    public long userId() {
        return Long.parseLong(user.split(":")[0]);
    }

    /** The group id the image runs as. */
    public long groupId() {
        return Long.parseLong(user.split(":")[1]);
    }

    private static List<String> texts(XPath xpath, Document pom, String path, Map<String, String> properties)
            throws XPathExpressionException {
        NodeList nodes = (NodeList) xpath.evaluate(path, pom, XPathConstants.NODESET);
        List<String> values = new ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++) {
            Node node = nodes.item(i);
            values.add(resolve(node.getTextContent().trim(), properties));
        }
        return values;
    }

    private static String resolve(String text, Map<String, String> properties) {
        Matcher reference = PROPERTY.matcher(text);
        StringBuilder resolved = new StringBuilder();
        while (reference.find()) {
            String value = properties.get(reference.group(1));
            reference.appendReplacement(resolved, Matcher.quoteReplacement(value != null ? value : reference.group()));
        }
        return reference.appendTail(resolved).toString();
    }
}
