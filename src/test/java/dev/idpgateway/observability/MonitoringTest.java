package dev.idpgateway.observability;

import dev.idpgateway.testing.Polling;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.idpgateway.dev.PoolRecord;
import dev.idpgateway.dev.UserRecord;
import dev.idpgateway.http.GatewayFixture;
import dev.idpgateway.http.TestCertificates;
import dev.idpgateway.testing.Blocking;
import io.vertx.redis.client.Command;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Grafana dashboard and the alert rules held against a real scrape: every metric and label they query is one the
 * gateway exports. The gateway runs as in production (HTTPS, cluster-wide quota) and meets a Redis fault, so that
 * the metrics that appear only then (TLS, quota shares, retries) are in the scrape too.
 */
class MonitoringTest {
    private static final Path MONITORING = Path.of("k8s", "overlays", "production", "monitoring");
    private static final Path RUNBOOK = Path.of("docs", "runbook.md");
    /** Series that come from elsewhere: kube-state-metrics' pod readiness (IdpGatewayReadinessFlapping). */
    private static final Set<String> OTHER_EXPORTERS = Set.of("kube_pod_status_ready");
    /** Labels Prometheus adds from the scrape target (the ServiceMonitor), not the gateway. */
    private static final Set<String> TARGET_LABELS = Set.of("namespace", "pod");
    private static final Set<String> KEYWORDS = Set.of("by", "without", "on", "ignoring", "group_left", "group_right",
            "bool", "and", "or", "unless", "offset", "inf", "nan");
    private static final Pattern SELECTOR = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)\\s*\\{([^}]*)}");
    private static final Pattern MATCHER = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)\\s*(?:=~|!~|!=|=)");
    private static final Pattern GROUPING = Pattern.compile("\\b(?:by|without)\\s*\\(([^)]*)\\)");
    private static final Pattern IDENTIFIER = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*+(?!\\s*\\()");
    private static final Pattern SAMPLE_LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"(?:[^\"\\\\]|\\\\.)*\"");
    private static final PoolRecord POOL = PoolRecord.of("us-east-1_Monitored");

    @TempDir
    static Path dir;
    private static GatewayFixture gateway;
    /** Each metric name in the scrape, with the label names of its samples. */
    private static Map<String, Set<String>> scraped;

    @BeforeAll
    static void scrapeAfterTrafficOnEveryPath() throws Exception {
        TestCertificates.Issued ca = TestCertificates.authority("Monitoring CA");
        TestCertificates.Issued server = TestCertificates.issue(ca, "gateway");
        Path mount = Files.createDirectories(dir.resolve("tls"));
        TestCertificates.publish(mount, Map.of("tls.crt", server.certificatePem(), "tls.key", server.keyPem()));
        gateway = GatewayFixture.start(Map.of(
                "IDP_TLS_CERT", mount.resolve("tls.crt").toString(),
                "IDP_TLS_KEY", mount.resolve("tls.key").toString(),
                "IDP_RATE_LIMIT_SCOPE", "cluster",
                "IDP_REDIS_RETRY_BUDGET", "300ms"));
        HttpClient https = HttpClient.newBuilder().sslContext(trusting(ca)).connectTimeout(Duration.ofSeconds(5)).build();
        Blocking.await(gateway.writer.write(POOL, UserRecord.builder("watched").tokens(2).build()));

        assertEquals(200, disable(https, "watched").statusCode());
        assertEquals(400, disable(https, "nobody-here").statusCode());
        // A replica refuses the script's writes (READONLY): the request retries until its budget is spent.
        gateway.redis.send(Command.REPLICAOF, "127.0.0.1", Integer.toString(GatewayFixture.freePort()));
        try {
            assertEquals(500, disable(https, "watched").statusCode());
        } finally {
            gateway.redis.send(Command.REPLICAOF, "NO", "ONE");
        }
        Polling.await("the quota's replica count", Duration.ofSeconds(30),
                () -> HttpProbe.body(gateway.managementEndpoint().resolve("/metrics")).contains("idp_ratelimit_replicas 1.0"));
        // The GC pause series appear with the first collection after the gateway's metrics were bound; without one
        // (a short run in a warm JVM) they would be missing for a reason the dashboard does not care about.
        Polling.await("a garbage collection in the scrape", Duration.ofSeconds(30), () -> {
            System.gc();
            return HttpProbe.body(gateway.managementEndpoint().resolve("/metrics")).contains("jvm_gc_pause_seconds_count");
        });
        scraped = metricsAndLabels(HttpProbe.body(gateway.managementEndpoint().resolve("/metrics")));
    }

    @AfterAll
    static void stop() {
        if (gateway != null) {
            gateway.close();
        }
    }

    @Test
    void everyMetricTheDashboardAndTheRulesQueryIsExported() throws IOException {
        Set<String> missing = new TreeSet<>();
        for (String expression : expressions()) {
            for (String metric : metricNames(expression)) {
                if (!scraped.containsKey(metric) && !OTHER_EXPORTERS.contains(metric)) {
                    missing.add(metric + " (in " + expression.strip() + ")");
                }
            }
        }
        assertEquals(Set.of(), missing, "metrics the gateway does not export");
    }

    @Test
    void everyLabelTheyFilterOrGroupByIsExported() throws IOException {
        Set<String> unknown = new TreeSet<>();
        for (String expression : expressions()) {
            Set<String> labelsOfTheExpression = new HashSet<>(TARGET_LABELS);
            metricNames(expression).forEach(metric -> labelsOfTheExpression.addAll(scraped.getOrDefault(metric, Set.of())));
            Matcher selector = SELECTOR.matcher(expression);
            while (selector.find()) {
                String metric = selector.group(1);
                if (OTHER_EXPORTERS.contains(metric)) {
                    continue;
                }
                Set<String> exported = scraped.getOrDefault(metric, Set.of());
                Matcher matcher = MATCHER.matcher(selector.group(2).replaceAll("\"[^\"]*\"", "\"\""));
                while (matcher.find()) {
                    if (!exported.contains(matcher.group(1)) && !TARGET_LABELS.contains(matcher.group(1))) {
                        unknown.add(metric + "{" + matcher.group(1) + "} (in " + expression.strip() + ")");
                    }
                }
            }
            if (expressionOfOtherExporters(expression)) {
                continue;
            }
            Matcher grouping = GROUPING.matcher(expression);
            while (grouping.find()) {
                for (String label : grouping.group(1).split(",")) {
                    if (!labelsOfTheExpression.contains(label.strip())) {
                        unknown.add("by " + label.strip() + " (in " + expression.strip() + ")");
                    }
                }
            }
        }
        assertEquals(Set.of(), unknown, "labels the gateway's metrics do not carry");
    }

    @Test
    void everyAlertLinksARunbookSectionAndExplainsItsNumbers() throws IOException {
        String runbook = Files.readString(RUNBOOK);
        List<JsonNode> alerts = alertRules();
        assertFalse(alerts.isEmpty());
        for (JsonNode rule : alerts) {
            String alert = rule.path("alert").asText();
            JsonNode annotations = rule.path("annotations");
            assertFalse(annotations.path("summary").asText().isBlank(), alert + " has no summary");
            assertTrue(annotations.path("description").asText().contains("$value"), alert + "'s description shows no value");
            String anchor = annotations.path("runbook_url").asText().replaceFirst(".*/docs/runbook\\.md#", "");
            assertEquals(alert.toLowerCase(), anchor, alert + "'s runbook_url");
            assertTrue(runbook.contains("\n## " + alert + "\n"), "docs/runbook.md has no section ## " + alert);
        }
    }

    @Test
    void thePlainRulesFileIsThePrometheusRulesSpec() throws Exception {
        Process print = new ProcessBuilder("bash", "ops/prometheus/rules-file").redirectErrorStream(true).start();
        String rulesFile = new String(print.getInputStream().readAllBytes());
        assertTrue(print.waitFor(30, TimeUnit.SECONDS), "ops/prometheus/rules-file hung");
        assertEquals(0, print.exitValue(), rulesFile);
        assertEquals(prometheusRule().path("spec"), new YAMLMapper().readTree(rulesFile));
    }

    @Test
    void theNameExtractionSeesMetricsOnly() {
        assertEquals(Set.of("idp_requests_seconds_bucket"), metricNames(
                "histogram_quantile(0.99, sum by (operation, le) (rate(idp_requests_seconds_bucket{namespace=\"$namespace\", outcome=\"Success\"}[$__rate_interval]))) > 0.25"));
        assertEquals(Set.of("idp_http_tls_certificate_expiry_seconds"),
                metricNames("min by (namespace, pod) (idp_http_tls_certificate_expiry_seconds) - time() < 14 * 86400"));
        assertEquals(Set.of("idp_requests_seconds_count"), metricNames("label_values(idp_requests_seconds_count, namespace)"));
    }

    private static HttpResponse<String> disable(HttpClient https, String username) throws Exception {
        HttpRequest request = HttpProbe.operation(gateway.endpoint(), "AdminDisableUser",
                "{\"UserPoolId\":\"" + POOL.poolId() + "\",\"Username\":\"" + username + "\"}").build();
        return https.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static SSLContext trusting(TestCertificates.Issued ca) throws Exception {
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(ca.trustStore());
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }

    /** Every query of the dashboard (panels and variables) and every rule's expression. */
    private static List<String> expressions() throws IOException {
        List<String> expressions = new ArrayList<>();
        JsonNode dashboard = new ObjectMapper().readTree(MONITORING.resolve("dashboard.json").toFile());
        dashboard.findValues("expr").forEach(expr -> expressions.add(expr.asText()));
        dashboard.path("templating").path("list").forEach(variable -> {
            if (variable.has("definition")) {
                expressions.add(variable.path("definition").asText());
            }
        });
        alertRules().forEach(rule -> expressions.add(rule.path("expr").asText()));
        return expressions;
    }

    private static boolean expressionOfOtherExporters(String expression) {
        return OTHER_EXPORTERS.stream().anyMatch(expression::contains);
    }

    /** The metric names in a PromQL expression: identifiers outside strings, label lists and ranges, not functions or keywords. */
    static Set<String> metricNames(String expression) {
        String names = expression.replaceAll("label_values\\(([^,]+),\\s*\\w+\\)", "$1")
                .replaceAll("\"[^\"]*\"", "\"\"")
                .replaceAll("\\{[^}]*}", " ")
                .replaceAll("\\[[^]]*]", " ")
                .replaceAll("\\b(?:by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ")
                .replaceAll("\\$\\w+", " ");
        Set<String> metrics = new TreeSet<>();
        Matcher identifier = IDENTIFIER.matcher(names);
        while (identifier.find()) {
            String name = identifier.group();
            boolean partOfANumber = identifier.start() > 0 && Character.isDigit(names.charAt(identifier.start() - 1));
            if (!KEYWORDS.contains(name) && !partOfANumber) {
                metrics.add(name);
            }
        }
        return metrics;
    }

    private static Map<String, Set<String>> metricsAndLabels(String exposition) {
        Map<String, Set<String>> metrics = new HashMap<>();
        for (String line : exposition.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int end = line.indexOf('{') >= 0 ? line.indexOf('{') : line.indexOf(' ');
            Set<String> labels = metrics.computeIfAbsent(line.substring(0, end), name -> new HashSet<>());
            Matcher label = SAMPLE_LABEL.matcher(line.substring(end));
            while (label.find()) {
                labels.add(label.group(1));
            }
        }
        return metrics;
    }

    private static JsonNode prometheusRule() throws IOException {
        return new YAMLMapper().readTree(MONITORING.resolve("alerts.yaml").toFile());
    }

    private static List<JsonNode> alertRules() throws IOException {
        List<JsonNode> rules = new ArrayList<>();
        prometheusRule().path("spec").path("groups").forEach(group -> group.path("rules").forEach(rules::add));
        return rules;
    }
}
