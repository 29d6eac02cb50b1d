#!/usr/bin/env bash
# Checks deploy/ without a cluster and without kustomize: every YAML file parses; the kustomization is
# rendered by a small renderer of the kustomize features deploy/ uses (and, when kubectl is installed,
# also by `kubectl kustomize`, and the two renderings must agree); then, on what is rendered:
#   - every ConfigMap and Secret a Deployment reads exists (Secrets: in examples/secrets.yaml, since the
#     operator creates them), and every variable it is given is one the services know;
#   - every service gets the variables its application.properties needs (datasource, Kafka, Redis, JWT
#     key, sealing keys, registration URL), and the pod labels naming its stores match what it uses;
#   - every Service and PodDisruptionBudget selects exactly one Deployment, and named ports exist;
#   - probes use the Quarkus health endpoints the services serve (libs/web has SmallRye Health and
#     Micrometer Prometheus), on the port the service listens on;
#   - the security settings, resources, ServiceAccounts and NetworkPolicies are there;
#   - examples/strimzi.yaml lists exactly libs/events Topics.ALL.
# Usage: deploy/check.sh   (exit 0 when all is well; installs python3-yaml with apt-get if no Python has it)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

python=""
for candidate in python3 /usr/bin/python3; do
    if command -v "$candidate" >/dev/null 2>&1 && "$candidate" -c 'import yaml' 2>/dev/null; then
        python="$candidate"
        break
    fi
done
if [ -z "$python" ]; then
    echo "check.sh: no Python with PyYAML; installing Debian's python3-yaml" >&2
    sudo_cmd=""
    [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo -n"
    $sudo_cmd apt-get update -qq >&2 && $sudo_cmd apt-get install -y -qq python3-yaml >&2
    python=/usr/bin/python3
fi

rendered=""
if command -v kubectl >/dev/null 2>&1; then
    rendered="$(mktemp)"
    trap 'rm -f "$rendered" "$rendered.err"' EXIT
    # A failure is reported after the parse check below, which names the file more plainly.
    kubectl kustomize "$here" >"$rendered" 2>"$rendered.err" || rendered="FAILED:$rendered.err"
fi

exec "$python" - "$here" "$rendered" <<'PYTHON'
import copy, json, os, re, sys
import yaml

DEPLOY = os.path.abspath(sys.argv[1])
REPO = os.path.dirname(DEPLOY)
KUBECTL_RENDERED = sys.argv[2]
SERVICES = ["registration-service", "provisioning-service", "visual-codes-service", "otp-service", "push-service"]
failures = []


def fail(message):
    failures.append(message)


def load_all(path):
    with open(path) as f:
        return [d for d in yaml.safe_load_all(f) if d is not None]


# 1. Every YAML file parses.
yaml_files = []
for root, _, files in os.walk(DEPLOY):
    for name in sorted(files):
        if name.endswith((".yaml", ".yml")):
            path = os.path.join(root, name)
            yaml_files.append(path)
            try:
                load_all(path)
            except yaml.YAMLError as e:
                fail(f"{os.path.relpath(path, REPO)} does not parse: {e}")
if failures:
    print("\n".join("FAIL " + f for f in failures))
    sys.exit(1)


# 2. Render the kustomization with the features deploy/ uses; anything else is refused, not guessed.
KNOWN_FIELDS = {"apiVersion", "kind", "namespace", "resources", "labels", "configMapGenerator", "images",
                "namePrefix", "patches"}
CLUSTER_SCOPED = {"Namespace"}


def read_env_file(path):
    data = {}
    with open(path) as f:
        for line in f:
            line = line.strip()
            if line and not line.startswith("#"):
                key, _, value = line.partition("=")
                data[key.strip()] = value
    return data


def pointer(path):
    return [p.replace("~1", "/").replace("~0", "~") for p in path.lstrip("/").split("/")]


def json_patch(doc, ops):
    for op in ops:
        parts = pointer(op["path"])
        parent = doc
        for part in parts[:-1]:
            parent = parent[int(part)] if isinstance(parent, list) else parent[part]
        last = parts[-1]
        if op["op"] not in ("add", "replace"):
            raise ValueError("unsupported JSON patch op " + op["op"])
        value = copy.deepcopy(op["value"])
        if isinstance(parent, list):
            if last == "-":
                parent.append(value)
            elif op["op"] == "add":
                parent.insert(int(last), value)
            else:
                parent[int(last)] = value
        else:
            if op["op"] == "replace" and last not in parent:
                raise ValueError("replace of a missing " + op["path"])
            parent[last] = value


def pod_spec(doc):
    return doc["spec"]["template"]["spec"] if doc["kind"] == "Deployment" else None


def render(directory):
    kust = load_all(os.path.join(directory, "kustomization.yaml"))[0]
    unknown = set(kust) - KNOWN_FIELDS
    if unknown:
        raise ValueError(f"{directory}: the checker does not know {sorted(unknown)}")
    docs = []
    for entry in kust.get("resources", []):
        path = os.path.join(directory, entry)
        docs += render(path) if os.path.isdir(path) else load_all(path)
    for generator in kust.get("configMapGenerator", []):
        data = {}
        for env in generator.get("envs", []):
            data.update(read_env_file(os.path.join(directory, env)))
        config_map = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": generator["name"]}, "_generated": True}
        if data:
            config_map["data"] = data
        docs.append(config_map)
    for patch in kust.get("patches", []):
        ops = yaml.safe_load(patch["patch"]) if "patch" in patch else load_all(os.path.join(directory, patch["path"]))[0]
        for doc in docs:
            target = patch["target"]
            if doc["kind"] == target.get("kind") and target.get("name", doc["metadata"]["name"]) == doc["metadata"]["name"]:
                json_patch(doc, ops)
    if "namespace" in kust:
        for doc in docs:
            if doc["kind"] not in CLUSTER_SCOPED:
                doc["metadata"]["namespace"] = kust["namespace"]
    if "namePrefix" in kust:
        renamed = {}
        for doc in docs:
            if doc["kind"] not in CLUSTER_SCOPED:
                renamed[(doc["kind"], doc["metadata"]["name"])] = kust["namePrefix"] + doc["metadata"]["name"]
                doc["metadata"]["name"] = renamed[(doc["kind"], doc["metadata"]["name"])]
        for doc in docs:
            spec = pod_spec(doc)
            if spec is None:
                continue
            if "serviceAccountName" in spec:
                spec["serviceAccountName"] = renamed.get(("ServiceAccount", spec["serviceAccountName"]), spec["serviceAccountName"])
            for container in spec["containers"]:
                for source in container.get("envFrom", []):
                    for key, kind in (("configMapRef", "ConfigMap"), ("secretRef", "Secret")):
                        if key in source:
                            source[key]["name"] = renamed.get((kind, source[key]["name"]), source[key]["name"])
            for volume in spec.get("volumes", []):
                if "secret" in volume:
                    volume["secret"]["secretName"] = renamed.get(("Secret", volume["secret"]["secretName"]), volume["secret"]["secretName"])
                if "configMap" in volume:
                    volume["configMap"]["name"] = renamed.get(("ConfigMap", volume["configMap"]["name"]), volume["configMap"]["name"])
    for entry in kust.get("labels", []):
        pairs, selectors = entry["pairs"], entry.get("includeSelectors", False)
        templates = selectors or entry.get("includeTemplates", False)
        for doc in docs:
            doc["metadata"].setdefault("labels", {}).update(pairs)
            if doc["kind"] == "NetworkPolicy" and selectors:
                raise ValueError("labels with includeSelectors would rewrite NetworkPolicy peers")
            if doc["kind"] == "Deployment":
                if templates:
                    doc["spec"]["template"]["metadata"].setdefault("labels", {}).update(pairs)
                if selectors:
                    doc["spec"]["selector"]["matchLabels"].update(pairs)
                    for constraint in doc["spec"]["template"]["spec"].get("topologySpreadConstraints", []):
                        constraint["labelSelector"]["matchLabels"].update(pairs)
            if selectors and doc["kind"] == "Service":
                doc["spec"].setdefault("selector", {}).update(pairs)
            if selectors and doc["kind"] == "PodDisruptionBudget":
                doc["spec"]["selector"]["matchLabels"].update(pairs)
    for image in kust.get("images", []):
        for doc in docs:
            spec = pod_spec(doc)
            for container in (spec or {}).get("containers", []):
                if re.split(r"[:@]", container["image"])[0] == image["name"]:
                    container["image"] = image.get("newName", image["name"]) + ":" + str(image["newTag"])
    return docs


def normalise(docs):
    """Sorted, with generated names' hash suffixes taken off, for comparing renderings."""
    text = json.dumps(sorted(docs, key=lambda d: (d["kind"], d["metadata"]["name"])), sort_keys=True)
    return json.loads(re.sub(r'"([a-z0-9-]+-config)-[a-z0-9]{10}"', r'"\1"', text))


try:
    docs = render(DEPLOY)
except (ValueError, KeyError, IndexError, OSError) as e:
    print(f"FAIL rendering deploy/: {e}")
    sys.exit(1)
generated = {d["metadata"]["name"] for d in docs if d.pop("_generated", False)}
renderers = "check.sh's renderer"
if KUBECTL_RENDERED.startswith("FAILED:"):
    fail("kubectl kustomize deploy/ failed: " + open(KUBECTL_RENDERED[len("FAILED:"):]).read().strip())
elif KUBECTL_RENDERED:
    theirs = normalise(load_all(KUBECTL_RENDERED))
    ours = normalise(docs)
    if theirs != ours:
        fail("check.sh's rendering differs from `kubectl kustomize deploy/`: " + " ".join(
            f"{d['kind']}/{d['metadata']['name']}" for d in ours if d not in theirs) + " | kubectl: " + " ".join(
            f"{d['kind']}/{d['metadata']['name']}" for d in theirs if d not in ours))
    renderers += " and kubectl kustomize" + (" (identical)" if theirs == ours else "")


def of_kind(kind, resources=docs):
    return [d for d in resources if d["kind"] == kind]


def named(kind, name, resources=docs):
    found = [d for d in resources if d["kind"] == kind and d["metadata"]["name"] == name]
    return found[0] if found else None


def matches(selector, labels):
    return bool(selector) and all(labels.get(k) == v for k, v in selector.items())


# What the operator provides: the example Secrets stand for the real ones.
examples = load_all(os.path.join(DEPLOY, "examples", "secrets.yaml"))
for secret in examples:
    if secret["kind"] != "Secret":
        fail(f"examples/secrets.yaml holds a {secret['kind']}")
    if any(named(s["kind"], s["metadata"]["name"]) for s in [secret]):
        fail(f"Secret {secret['metadata']['name']} is also in the kustomization: Secrets are the operator's")


def keys_of(kind, name):
    if kind == "ConfigMap":
        source = named("ConfigMap", name)
        return None if source is None else set(source.get("data", {}))
    source = named("Secret", name, examples)
    return None if source is None else set(source.get("stringData", {})) | set(source.get("data", {}))


# Fake keys must look like keys (format) and must not be usable keys (not 32 bytes).
import base64
for secret in examples:
    values = secret.get("stringData", {})
    for key in ("COUNTERSIGN_EVENTS_SEALING_KEYS", "COUNTERSIGN_EVENTS_SEALING_AT_REST_KEYS"):
        if key not in values:
            continue
        ids = []
        for entry in values[key].split(","):
            kid, _, material = entry.strip().partition(":")
            ids.append(kid)
            if not re.fullmatch(r"[A-Za-z0-9_-]{1,32}", kid):
                fail(f"example {secret['metadata']['name']}: key id {kid!r} breaks SealedValue's [A-Za-z0-9_-]{{1,32}}")
            try:
                padded = material + "=" * (-len(material) % 4)
                raw = base64.urlsafe_b64decode(padded) if ("-" in material or "_" in material) else base64.b64decode(padded)
                if len(raw) == 32:
                    fail(f"example {secret['metadata']['name']}: {key} holds a usable 32-byte key; examples must not")
            except ValueError:
                pass
        current = values.get(key.replace("_KEYS", "_CURRENT_KEY_ID"))
        if current not in ids:
            fail(f"example {secret['metadata']['name']}: the current key id {current!r} is not among {ids}")


# What the services know: their properties (as environment variables), the variables they reference, and
# the ones the READMEs and docs document. Kafka client settings (KAFKA_*) pass through to the clients.
def env_name(prop):
    return re.sub(r"[^A-Za-z0-9]", "_", prop).upper()


def properties(path):
    props = {}
    if os.path.exists(path):
        for line in open(path):
            line = line.strip()
            if line and not line.startswith("#") and "=" in line:
                key, _, value = line.partition("=")
                props[key.strip()] = value.strip()
    return props


known_env = {"JAVA_OPTS", "QUARKUS_REDIS_PASSWORD"}
docs_text = ""
for path in [os.path.join(REPO, "README.md")] + [os.path.join(REPO, "docs", f) for f in os.listdir(os.path.join(REPO, "docs"))] + \
        [os.path.join(REPO, s, "README.md") for s in SERVICES]:
    if os.path.isfile(path):
        docs_text += open(path).read()
known_env |= set(re.findall(r"`([A-Z][A-Z0-9_]{3,})`", docs_text))
known_env |= {m.replace("...", "") for m in re.findall(r"`([A-Z][A-Z0-9_.]{3,})`", docs_text)}
web_props = properties(os.path.join(REPO, "libs/web/src/main/resources/META-INF/microprofile-config.properties"))
service_props = {s: properties(os.path.join(REPO, s, "src/main/resources/application.properties")) for s in SERVICES}
for props in [web_props] + list(service_props.values()):
    known_env |= {env_name(k) for k in props if not k.startswith("%")}
    known_env |= {m for v in props.values() for m in re.findall(r"\$\{([A-Z][A-Z0-9_]+)", v)}


def known(var):
    if var in known_env or var.startswith("KAFKA_"):
        return True
    # READMEs abbreviate families of keys, e.g. `COUNTERSIGN_OTP_THROTTLE_MAX_FAILURES`, ...
    return any(var.startswith(k.rstrip("_") + "_") for k in known_env if k.startswith("COUNTERSIGN_") and k.count("_") >= 3)


def uses_sealing(service):
    for root, _, files in os.walk(os.path.join(REPO, service, "src", "main", "java")):
        for name in files:
            if re.search(r"\b(TransportSealer|AtRestSealer)\b", open(os.path.join(root, name)).read()):
                return True
    return False


web_pom = open(os.path.join(REPO, "libs/web/pom.xml")).read()
for artifact in ("quarkus-smallrye-health", "quarkus-micrometer-registry-prometheus"):
    if f"<artifactId>{artifact}</artifactId>" not in web_pom:
        fail(f"libs/web no longer depends on {artifact}: the probes or the metrics annotation point nowhere")
PROBES = {"startupProbe": "/q/health/started", "livenessProbe": "/q/health/live", "readinessProbe": "/q/health/ready"}

deployments = of_kind("Deployment")
if sorted(d["metadata"]["name"] for d in deployments) != sorted(SERVICES):
    fail(f"the Deployments are {sorted(d['metadata']['name'] for d in deployments)}, not the five services")

for deployment in deployments:
    name = deployment["metadata"]["name"]
    where = f"Deployment {name}"
    spec = deployment["spec"]["template"]["spec"]
    labels = deployment["spec"]["template"]["metadata"].get("labels", {})
    annotations = deployment["spec"]["template"]["metadata"].get("annotations", {})
    if not matches(deployment["spec"]["selector"]["matchLabels"], labels):
        fail(f"{where}: its selector does not select its own pods")
    if len(spec["containers"]) != 1:
        fail(f"{where}: expected one container")
    container = spec["containers"][0]
    ports = {p.get("name"): p["containerPort"] for p in container.get("ports", [])}

    # Configuration sources and what they provide.
    provided = {}
    for source in container.get("envFrom", []):
        for ref, kind in (("configMapRef", "ConfigMap"), ("secretRef", "Secret")):
            if ref in source:
                keys = keys_of(kind, source[ref]["name"])
                if keys is None:
                    fail(f"{where} reads {kind} {source[ref]['name']}, which is neither in the kustomization nor in examples/secrets.yaml")
                    keys = set()
                for key in keys:
                    provided[key] = (kind, source[ref]["name"])
    for var in container.get("env", []):
        ref = var.get("valueFrom", {})
        for key_ref, kind in (("configMapKeyRef", "ConfigMap"), ("secretKeyRef", "Secret")):
            if key_ref in ref:
                keys = keys_of(kind, ref[key_ref]["name"]) or set()
                if ref[key_ref]["key"] not in keys:
                    fail(f"{where}: env {var['name']} reads {kind} {ref[key_ref]['name']} key {ref[key_ref]['key']}, which is not there")
        provided[var["name"]] = ("env", name)
    for var, (kind, source) in sorted(provided.items()):
        if not known(var):
            fail(f"{where}: {var} (from {kind} {source}) is no setting the services or their docs know")

    props = service_props[name]
    needs = {"MP_JWT_VERIFY_PUBLICKEY_LOCATION"}
    stores = set()
    if "quarkus.datasource.db-kind" in props:
        needs |= {"QUARKUS_DATASOURCE_REACTIVE_URL", "QUARKUS_DATASOURCE_JDBC_URL", "QUARKUS_DATASOURCE_USERNAME", "QUARKUS_DATASOURCE_PASSWORD"}
        stores.add("postgres")
    if "kafka.bootstrap.servers" in props:
        needs.add("KAFKA_BOOTSTRAP_SERVERS")
        stores.add("kafka")
    if "quarkus.redis.hosts" in props:
        needs.add("QUARKUS_REDIS_HOSTS")
        stores.add("redis")
    if uses_sealing(name):
        needs |= {"COUNTERSIGN_EVENTS_SEALING_KEYS", "COUNTERSIGN_EVENTS_SEALING_CURRENT_KEY_ID"}
    if "countersign.provisioning.registration.url" in props:
        needs.add("COUNTERSIGN_PROVISIONING_REGISTRATION_URL")
    for var in sorted(needs - set(provided)):
        fail(f"{where} is not given {var}, which its application.properties or code needs")
    labelled = {k.split("/", 1)[1] for k, v in labels.items() if k.startswith("countersign.org/") and v == "true"}
    if labelled != stores:
        fail(f"{where}: its store labels say {sorted(labelled)}, its application.properties uses {sorted(stores)}")

    # The port: QUARKUS_HTTP_PORT from its ConfigMaps, else its application.properties.
    port_source = provided.get("QUARKUS_HTTP_PORT")
    port = props.get("quarkus.http.port")
    if port_source:
        port = (named("ConfigMap", port_source[1]) or {}).get("data", {}).get("QUARKUS_HTTP_PORT", port)
    if "http" not in ports or str(ports["http"]) != str(port):
        fail(f"{where}: container port http is {ports.get('http')}, the service listens on {port}")
    if "quarkus.http.non-application-root-path" in props or "quarkus.http.root-path" in props:
        fail(f"{where}: the service moves /q; update the probe paths and the metrics annotation")
    for probe, path in PROBES.items():
        get = container.get(probe, {}).get("httpGet")
        if not get:
            fail(f"{where}: no {probe}")
        elif get["path"] != path or get["port"] not in (port, int(port), "http"):
            fail(f"{where}: {probe} is {get['path']} on {get['port']}, the service serves {path} on http ({port})")
    if annotations.get("prometheus.io/scrape") != "true" or annotations.get("prometheus.io/path") != "/q/metrics" \
            or str(annotations.get("prometheus.io/port")) != str(port):
        fail(f"{where}: the Prometheus annotations do not point at /q/metrics on {port}")

    # Security and resources.
    pod_security = spec.get("securityContext", {})
    security = container.get("securityContext", {})
    if not pod_security.get("runAsNonRoot") or pod_security.get("seccompProfile", {}).get("type") != "RuntimeDefault":
        fail(f"{where}: the pod must run as non-root with the RuntimeDefault seccomp profile")
    if not security.get("readOnlyRootFilesystem") or security.get("allowPrivilegeEscalation") is not False \
            or security.get("capabilities", {}).get("drop") != ["ALL"]:
        fail(f"{where}: the container needs a read-only root, no privilege escalation and capabilities drop ALL")
    tmp = [m for m in container.get("volumeMounts", []) if m["mountPath"] == "/tmp"]
    volumes = {v["name"]: v for v in spec.get("volumes", [])}
    if not tmp or "emptyDir" not in volumes.get(tmp[0]["name"], {}):
        fail(f"{where}: /tmp must be an emptyDir")
    for volume in volumes.values():
        if "secret" in volume and keys_of("Secret", volume["secret"]["secretName"]) is None:
            fail(f"{where}: volume {volume['name']} reads Secret {volume['secret']['secretName']}, which examples/secrets.yaml lacks")
    if spec.get("automountServiceAccountToken") is not False:
        fail(f"{where}: automountServiceAccountToken must be false")
    account = named("ServiceAccount", spec.get("serviceAccountName", ""))
    if account is None or account.get("automountServiceAccountToken") is not False:
        fail(f"{where}: its ServiceAccount {spec.get('serviceAccountName')} is missing or mounts its token")
    resources = container.get("resources", {})
    if not all(resources.get(a, {}).get(b) for a in ("requests", "limits") for b in ("cpu", "memory")):
        fail(f"{where}: cpu and memory requests and limits are required")
    else:
        java_opts = (named("ConfigMap", provided.get("JAVA_OPTS", ("", ""))[1]) or {}).get("data", {}).get("JAVA_OPTS", "")
        heap = re.search(r"-Xmx(\d+)m", java_opts)
        limit = re.fullmatch(r"(\d+)Mi", resources["limits"]["memory"])
        if not heap or not limit or int(limit.group(1)) < int(heap.group(1)) * 3 // 2:
            fail(f"{where}: the memory limit {resources['limits']['memory']} leaves too little beside JAVA_OPTS {java_opts!r}")

# Services and PodDisruptionBudgets select exactly one Deployment; named ports exist.
def selected(selector):
    return [d for d in deployments if matches(selector, d["spec"]["template"]["metadata"].get("labels", {}))]


for service in of_kind("Service"):
    hits = selected(service["spec"].get("selector", {}))
    if len(hits) != 1:
        fail(f"Service {service['metadata']['name']} selects {len(hits)} Deployments")
        continue
    port_names = {p.get("name") for p in hits[0]["spec"]["template"]["spec"]["containers"][0].get("ports", [])}
    for port in service["spec"]["ports"]:
        if isinstance(port["targetPort"], str) and port["targetPort"] not in port_names:
            fail(f"Service {service['metadata']['name']}: targetPort {port['targetPort']} is no port of {hits[0]['metadata']['name']}")
for budget in of_kind("PodDisruptionBudget"):
    if len(selected(budget["spec"]["selector"]["matchLabels"])) != 1:
        fail(f"PodDisruptionBudget {budget['metadata']['name']} does not select exactly one Deployment")
for kind in ("Service", "PodDisruptionBudget", "ServiceAccount"):
    if sorted(d["metadata"]["name"] for d in of_kind(kind)) != sorted(SERVICES):
        fail(f"expected one {kind} per service")

# The registration URL names the registration Service.
provisioning_config = [d for d in of_kind("ConfigMap") if "COUNTERSIGN_PROVISIONING_REGISTRATION_URL" in d.get("data", {})]
for config in provisioning_config:
    url = re.fullmatch(r"http://([a-z0-9-]+)(?::(\d+))?/?", config["data"]["COUNTERSIGN_PROVISIONING_REGISTRATION_URL"])
    service = named("Service", url.group(1)) if url else None
    if service is None or int(url.group(2) or 80) not in [p["port"] for p in service["spec"]["ports"]]:
        fail(f"ConfigMap {config['metadata']['name']}: COUNTERSIGN_PROVISIONING_REGISTRATION_URL names no Service port")

# NetworkPolicies: every pod is under a default deny, selectors and in-namespace peers select pods, named
# ports exist, each store label has its egress policy, and provisioning may call registration.
policies = of_kind("NetworkPolicy")
for deployment in deployments:
    labels = deployment["spec"]["template"]["metadata"]["labels"]
    mine = [p for p in policies if matches(p["spec"]["podSelector"].get("matchLabels"), labels)]
    if not any(set(p["spec"].get("policyTypes", [])) == {"Ingress", "Egress"} and not p["spec"].get("ingress")
               and not p["spec"].get("egress") for p in mine):
        fail(f"Deployment {deployment['metadata']['name']} is under no default-deny NetworkPolicy")
    for store in ("postgres", "kafka", "redis"):
        if labels.get(f"countersign.org/{store}") == "true" and not any(
                p["spec"]["podSelector"].get("matchLabels") == {f"countersign.org/{store}": "true"} and p["spec"].get("egress")
                for p in policies):
            fail(f"Deployment {deployment['metadata']['name']} uses {store} but no NetworkPolicy opens egress to it")
for policy in policies:
    where = f"NetworkPolicy {policy['metadata']['name']}"
    if not selected(policy["spec"]["podSelector"].get("matchLabels", {})):
        fail(f"{where} selects no Countersign pod")
    for rule in policy["spec"].get("ingress", []) + policy["spec"].get("egress", []):
        for peer in rule.get("from", []) + rule.get("to", []):
            if "podSelector" in peer and "namespaceSelector" not in peer:
                peers = selected(peer["podSelector"].get("matchLabels", {}))
                if not peers:
                    fail(f"{where}: a peer selects no Countersign pod")
                named_ports = {p["port"] for p in rule.get("ports", []) if isinstance(p["port"], str)}
                for target in (peers if "to" in rule else selected(policy["spec"]["podSelector"]["matchLabels"])):
                    have = {p.get("name") for p in target["spec"]["template"]["spec"]["containers"][0]["ports"]}
                    if named_ports - have:
                        fail(f"{where}: port {sorted(named_ports - have)} is not a port of {target['metadata']['name']}")
calls = [p for p in policies if p["spec"]["podSelector"].get("matchLabels") == {"app.kubernetes.io/name": "provisioning-service"}
         and any(peer.get("podSelector", {}).get("matchLabels") == {"app.kubernetes.io/name": "registration-service"}
                 for rule in p["spec"].get("egress", []) for peer in rule.get("to", []))]
if not calls:
    fail("no NetworkPolicy lets provisioning-service call registration-service")

# The Strimzi example lists exactly the topics of libs/events.
topics_java = open(os.path.join(REPO, "libs/events/src/main/java/org/countersign/events/Topics.java")).read()
topics = set(re.findall(r'static final String \w+ = "([^"]+)"', topics_java))
example_topics = {d["metadata"]["name"] for d in load_all(os.path.join(DEPLOY, "examples", "strimzi.yaml")) if d["kind"] == "KafkaTopic"}
if topics != example_topics:
    fail(f"examples/strimzi.yaml topics differ from Topics.java: {sorted(topics ^ example_topics)}")

if failures:
    print("\n".join("FAIL " + f for f in failures))
    print(f"deploy/check.sh: {len(failures)} failed ({len(yaml_files)} YAML files, rendered by {renderers})")
    sys.exit(1)
print(f"deploy/check.sh: all checks passed: {len(yaml_files)} YAML files parse; {len(docs)} resources rendered by {renderers}; "
      f"{len(deployments)} Deployments, their Services, PDBs, ServiceAccounts, ConfigMaps, Secrets, probes, "
      f"NetworkPolicies and the Strimzi topics checked")
PYTHON
