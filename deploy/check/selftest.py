"""The self-test of deploy/check.sh: copies of deploy/ broken on purpose, one fault each, that must each
fail the checks, and fail for that fault (the expected text must be in what the checks print).

A case whose text to break is no longer in deploy/ (exactly once) fails too: update the case with the
manifest, never delete it to make the self-test pass. Usage: selftest.py DEPLOY_DIR. Prints the number
of cases when every one fails as it should; else prints what went wrong and exits 1.
"""
import os, shutil, subprocess, sys, tempfile
from concurrent.futures import ThreadPoolExecutor

DEPLOY = os.path.abspath(sys.argv[1])
SERVICE = "base/service/service.yaml"
POLICIES = "base/networkpolicies.yaml"

# (what is broken, file, text, replacement, what the checks must say)
CASES = [
    ("a Service selector that matches no pod", SERVICE,
     "  type: ClusterIP\n  selector:\n    app.kubernetes.io/name: service\n",
     "  type: ClusterIP\n  selector:\n    app.kubernetes.io/name: service\n    tier: web\n",
     "selects 0 Deployments"),
    ("a PodDisruptionBudget selector that matches no pod", SERVICE,
     "  maxUnavailable: 1\n  selector:\n    matchLabels:\n      app.kubernetes.io/name: service\n",
     "  maxUnavailable: 1\n  selector:\n    matchLabels:\n      app.kubernetes.io/name: service\n      tier: web\n",
     "PodDisruptionBudget otp-service does not select exactly one Deployment"),
    ("a NetworkPolicy peer that matches no pod", POLICIES,
     "            matchLabels:\n              app.kubernetes.io/name: registration-service\n",
     "            matchLabels:\n              app.kubernetes.io/name: registration\n",
     "a peer selects no Countersign pod"),
    ("a misspelt field", SERVICE, "imagePullPolicy: IfNotPresent", "imagePulPolicy: IfNotPresent",
     "spec.template.spec.containers[0].imagePulPolicy is no field of Container"),
    ("a misspelt field the policy also needs", SERVICE, "readOnlyRootFilesystem: true", "readOnlyRootFileSystem: true",
     "readOnlyRootFileSystem is no field of SecurityContext"),
    ("a number written as a string", SERVICE, "replicas: 2", 'replicas: "2"', "/spec/replicas must be integer"),
    ("an API version Kubernetes no longer serves", SERVICE, "apiVersion: policy/v1\n", "apiVersion: policy/v1beta1\n",
     "Kubernetes serves no PodDisruptionBudget in policy/v1beta1"),
    ("an environment variable no service reads", "base/otp/config.env", "# COUNTERSIGN_OTP_PIN_MIN_LENGTH=4\n",
     "# COUNTERSIGN_OTP_PIN_MIN_LENGTH=4\nQUARKUS_DATASOURCE_REACTIVE_MAXSIZE=10\n",
     "QUARKUS_DATASOURCE_REACTIVE_MAXSIZE (from ConfigMap"),
    ("a probe on the management port, where health is not served", SERVICE,
     "              path: /q/health/ready\n              port: http\n", "              path: /q/health/ready\n              port: management\n",
     "readinessProbe is /q/health/ready on port management, the service serves /q/health/ready on http (8080)"),
    ("a probe on a port nothing listens on", SERVICE,
     "              path: /q/health/live\n              port: http\n", "              path: /q/health/live\n              port: 8081\n",
     "livenessProbe is /q/health/live on port 8081"),
    ("the metrics annotation on the public port", SERVICE, 'prometheus.io/port: "9000"', 'prometheus.io/port: "8080"',
     "the Prometheus annotations do not point at /q/metrics on the management port (9000)"),
    ("a Service that exposes the management port", SERVICE,
     "      port: 80\n      targetPort: http\n      protocol: TCP\n",
     "      port: 80\n      targetPort: http\n      protocol: TCP\n    - name: metrics\n      port: 9000\n      targetPort: management\n",
     "exposes the management port (9000 -> management)"),
    ("the gateway let in on the management port", POLICIES,
     "              countersign.org/api-gateway: \"true\"\n      ports:\n        - {protocol: TCP, port: http}\n",
     "              countersign.org/api-gateway: \"true\"\n      ports:\n        - {protocol: TCP, port: http}\n        - {protocol: TCP, port: management}\n",
     "NetworkPolicy countersign-from-gateway lets namespaceSelector {'countersign.org/api-gateway': 'true'} reach the management port"),
    ("a random management port", "base/countersign.env", "QUARKUS_MANAGEMENT_PORT=9000", "QUARKUS_MANAGEMENT_PORT=0",
     "the management port is 0"),
    ("the Swagger UI turned back on", "base/countersign.env", "QUARKUS_MANAGEMENT_PORT=9000\n",
     "QUARKUS_MANAGEMENT_PORT=9000\nQUARKUS_SWAGGER_UI_ENABLED=true\n", "the Swagger UI is on in production"),
    ("every pod allowed 0.0.0.0/0 on 443, as before", POLICIES,
     "        - namespaceSelector:\n            matchLabels:\n              countersign.org/identity-provider: \"true\"\n",
     "        - namespaceSelector:\n            matchLabels:\n              countersign.org/identity-provider: \"true\"\n        - ipBlock:\n            cidr: 0.0.0.0/0\n",
     "NetworkPolicy countersign-to-identity-provider lets registration-service reach the internet"),
    ("an egress rule without a destination (anywhere)", POLICIES,
     "  policyTypes: [Egress]\n  egress:\n    - to:\n        - podSelector:\n            matchLabels:\n              app.kubernetes.io/name: registration-service\n",
     "  policyTypes: [Egress]\n  egress:\n    - ports:\n        - {protocol: TCP, port: 443}\n    - to:\n        - podSelector:\n            matchLabels:\n              app.kubernetes.io/name: registration-service\n",
     "NetworkPolicy provisioning-to-registration lets provisioning-service reach the internet (everyone; TCP 443)"),
    ("the push-service let out on another port", POLICIES,
     "            except: [\"fc00::/7\", \"fe80::/10\"]\n      ports:\n        - {protocol: TCP, port: 443}\n",
     "            except: [\"fc00::/7\", \"fe80::/10\"]\n      ports:\n        - {protocol: TCP, port: 443}\n        - {protocol: TCP, port: 80}\n",
     "NetworkPolicy push-to-internet lets push-service reach the internet"),
    ("no DNS", POLICIES, "        - {protocol: UDP, port: 53}\n", "", "no NetworkPolicy lets otp-service resolve names (UDP 53)"),
    ("the provisioning-service without the public key it seals for", "base/provisioning/kustomization.yaml",
     "      - op: add\n        path: /spec/template/spec/containers/0/envFrom/-\n"
     "        value: {secretRef: {name: countersign-sealing-public-keys}}\n", "",
     "Deployment provisioning-service is not given COUNTERSIGN_EVENTS_SEALING_RECIPIENTS_OTP"),
    ("the otp-service without the private key that opens what is sealed for it", "examples/secrets.yaml",
     "  COUNTERSIGN_EVENTS_SEALING_PRIVATE_KEYS: otp-2026-11:REPLACE-ME-with-its-X25519-private-key-base64\n", "",
     "Deployment otp-service is not given COUNTERSIGN_EVENTS_SEALING_PRIVATE_KEYS"),
    ("a usable public key in the examples", "examples/secrets.yaml",
     "otp-2026-11:REPLACE-ME-with-its-X25519-public-key-base64", "otp-2026-11:" + "A" * 43 + "=",
     "COUNTERSIGN_EVENTS_SEALING_RECIPIENTS_OTP holds a usable 32-byte key"),
    ("a base image without a digest", "Dockerfile",
     "FROM eclipse-temurin:17.0.20.1_1-jre-noble@sha256:631290fcf272e36dfc1dcf1c5eebf2179baa8dec67387f817c6709393a655b5b",
     "FROM eclipse-temurin:17-jre", "Dockerfile: FROM eclipse-temurin:17-jre is not pinned by digest"),
]


def run(case):
    what, path, text, replacement, expected = case
    with tempfile.TemporaryDirectory() as tmp:
        copy = os.path.join(tmp, "deploy")
        shutil.copytree(DEPLOY, copy, ignore=shutil.ignore_patterns("node_modules"))
        with open(os.path.join(copy, path)) as f:
            original = f.read()
        if original.count(text) != 1:
            return f"case '{what}': the text to break is in {path} {original.count(text)} times, not once: update the case"
        with open(os.path.join(copy, path), "w") as f:
            f.write(original.replace(text, replacement))
        result = subprocess.run(["bash", os.path.join(DEPLOY, "check.sh"), "--only", copy],
                                capture_output=True, text=True, timeout=300)
        output = result.stdout + result.stderr
        if result.returncode == 0:
            return f"case '{what}': the checks passed a deploy/ broken on purpose ({path})"
        if expected not in output:
            return f"case '{what}': the checks failed, but not saying {expected!r}:\n{output}"
        return None


with ThreadPoolExecutor(max_workers=2) as pool:
    problems = [p for p in pool.map(run, CASES) if p]
for problem in problems:
    print("SELF-TEST FAIL " + problem, file=sys.stderr)
if problems:
    sys.exit(1)
print(len(CASES))
