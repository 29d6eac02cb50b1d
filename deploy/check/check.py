"""The policy checks of deploy/check.sh, on what `kubectl kustomize` rendered (no cluster needed).

Usage: check.py DEPLOY_DIR REPO_DIR RENDERED_YAML. Prints one FAIL line per problem and exits 1 if
there is any; prints nothing and exits 0 otherwise. What it checks is listed in ../README.md
("Checking the manifests"); each rule says below why it exists.
"""
import base64, ipaddress, os, re, sys
import yaml

DEPLOY = os.path.abspath(sys.argv[1])
REPO = os.path.abspath(sys.argv[2])
RENDERED = sys.argv[3]
SERVICES = ["registration-service", "provisioning-service", "visual-codes-service", "otp-service", "push-service", "portal-service"]
# Where each Deployment's code is: the services' modules carry their names, the portal's is portal/.
MODULES = {s: s for s in SERVICES} | {"portal-service": "portal"}
# The only pods that may reach the internet, and only on these ports: FCM and APNs (HTTPS/HTTP2).
INTERNET_CLIENTS = {"push-service": {("TCP", 443)}}
failures = []


def fail(message):
    failures.append(message)


def load_all(path):
    with open(path) as f:
        return [d for d in yaml.safe_load_all(f) if d is not None]


def relative(path):
    return os.path.relpath(path, os.path.dirname(DEPLOY))


# Every YAML file parses (kubectl names the file less plainly).
yaml_files = []
for root, dirs, files in os.walk(DEPLOY):
    dirs[:] = [d for d in dirs if d != "node_modules"]
    for name in sorted(files):
        if name.endswith((".yaml", ".yml")):
            path = os.path.join(root, name)
            yaml_files.append(path)
            try:
                load_all(path)
            except yaml.YAMLError as e:
                fail(f"{relative(path)} does not parse: {e}")
if failures:
    print("\n".join("FAIL " + f for f in failures))
    sys.exit(1)

docs = load_all(RENDERED)


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


# Fake keys must look like keys (format) and must not be usable keys (not 32 bytes): at-rest keys, the
# receiving services' X25519 private keys and the public keys the producers are given.
SEALING_KEYS = "COUNTERSIGN_EVENTS_SEALING_AT_REST_KEYS", "COUNTERSIGN_EVENTS_SEALING_PRIVATE_KEYS"
for secret in examples:
    values = secret.get("stringData", {})
    for key in [k for k in values if k in SEALING_KEYS or k.startswith("COUNTERSIGN_EVENTS_SEALING_RECIPIENTS_")]:
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
        if key.endswith("_AT_REST_KEYS"):
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
        [os.path.join(REPO, MODULES[s], "README.md") for s in SERVICES]:
    if os.path.isfile(path):
        docs_text += open(path).read()
known_env |= set(re.findall(r"`([A-Z][A-Z0-9_]{3,})`", docs_text))
known_env |= {m.replace("...", "") for m in re.findall(r"`([A-Z][A-Z0-9_.]{3,})`", docs_text)}
web_props = properties(os.path.join(REPO, "libs/web/src/main/resources/META-INF/microprofile-config.properties"))
service_props = {s: properties(os.path.join(REPO, MODULES[s], "src/main/resources/application.properties")) for s in SERVICES}
# The services' shared defaults (libs/web) apply where a module uses libs/web; the portal does not.
uses_web = {s: "<artifactId>countersign-web</artifactId>" in open(os.path.join(REPO, MODULES[s], "pom.xml")).read() for s in SERVICES}
for props in [web_props] + list(service_props.values()):
    known_env |= {env_name(re.sub(r"^%[\w,-]+\.", "", k)) for k in props}
    known_env |= {m for v in props.values() for m in re.findall(r"\$\{([A-Z][A-Z0-9_]+)", v)}


def known(var):
    if var in known_env or var.startswith("KAFKA_"):
        return True
    # READMEs abbreviate families of keys, e.g. `COUNTERSIGN_OTP_THROTTLE_MAX_FAILURES`, ...
    return any(var.startswith(k.rstrip("_") + "_") for k in known_env if k.startswith("COUNTERSIGN_") and k.count("_") >= 3)


def production(service):
    """What the packaged service reads in its default (prod) profile, before the environment overrides it."""
    shared = web_props if uses_web[service] else {}
    merged = {k: v for k, v in list(shared.items()) + list(service_props[service].items()) if not k.startswith("%")}
    for props in (shared, service_props[service]):
        merged.update({k[len("%prod."):]: v for k, v in props.items() if k.startswith("%prod.")})
    return merged


def main_sources(service):
    for root, _, files in os.walk(os.path.join(REPO, MODULES[service], "src", "main", "java")):
        for name in files:
            yield open(os.path.join(root, name)).read()


# Which service opens each internal event's sealed values: the payloads' SEALED_FOR (libs/events-core).
PAYLOADS = os.path.join(REPO, "libs/events-core/src/main/java/org/countersign/events/payload")
SEALED_FOR = {}
for name in os.listdir(PAYLOADS):
    found = re.search(r'String SEALED_FOR = "([a-z-]+)"', open(os.path.join(PAYLOADS, name)).read())
    if found:
        SEALED_FOR[name[:-len(".java")]] = found.group(1)


def sealing_needs(service):
    """The sealing keys a service reads: its at-rest key if it keeps secrets, its private key if it receives
    sealed values, and the public key of every service it seals for (`X.SEALED_FOR` in its code)."""
    needs = set()
    for source in main_sources(service):
        if re.search(r"\bAtRestSealer\b", source):
            needs.add("COUNTERSIGN_EVENTS_SEALING_AT_REST_KEYS")
        for payload in re.findall(r"\b(\w+)\.SEALED_FOR\b", source):
            if payload in SEALED_FOR:
                needs.add("COUNTERSIGN_EVENTS_SEALING_RECIPIENTS_" + SEALED_FOR[payload].upper().replace("-", "_"))
    if service[:-len("-service")] in SEALED_FOR.values():
        needs.add("COUNTERSIGN_EVENTS_SEALING_PRIVATE_KEYS")
    return needs


web_pom = open(os.path.join(REPO, "libs/web/pom.xml")).read()
for artifact in ("quarkus-smallrye-health", "quarkus-micrometer-registry-prometheus"):
    if f"<artifactId>{artifact}</artifactId>" not in web_pom:
        fail(f"libs/web no longer depends on {artifact}: the probes or the metrics annotation point nowhere")
PROBES = {"startupProbe": "/q/health/started", "livenessProbe": "/q/health/live", "readinessProbe": "/q/health/ready"}

deployments = of_kind("Deployment")
management_ports = {}
if sorted(d["metadata"]["name"] for d in deployments) != sorted(SERVICES):
    fail(f"the Deployments are {sorted(d['metadata']['name'] for d in deployments)}, not the five services and the portal")

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
    needs |= sealing_needs(name)
    if "countersign.provisioning.registration.url" in props:
        needs.add("COUNTERSIGN_PROVISIONING_REGISTRATION_URL")
    for var in sorted(needs - set(provided)):
        fail(f"{where} is not given {var}, which its application.properties or code needs")
    labelled = {k.split("/", 1)[1] for k, v in labels.items() if k.startswith("countersign.org/") and v == "true"}
    if labelled != stores:
        fail(f"{where}: its store labels say {sorted(labelled)}, its application.properties uses {sorted(stores)}")

    # Ports and endpoints: what its ConfigMaps set wins over the packaged production defaults.
    prod = production(name)

    def setting(var, prop, default=None):
        value = prod.get(prop, default)
        source = provided.get(var)
        if source and source[0] == "ConfigMap":
            value = (named("ConfigMap", source[1]) or {}).get("data", {}).get(var, value)
        return value

    port = setting("QUARKUS_HTTP_PORT", "quarkus.http.port")
    if "http" not in ports or str(ports["http"]) != str(port):
        fail(f"{where}: container port http is {ports.get('http')}, the service listens on {port}")
    if any(k in prod for k in ("quarkus.http.non-application-root-path", "quarkus.http.root-path", "quarkus.management.root-path")):
        fail(f"{where}: the service moves /q; update the probe paths and the metrics annotation")
    # Metrics on the management interface, a port of its own that no Service exposes and only Prometheus
    # reaches; health there too unless the service keeps it on the main port (it does: ./countersign up).
    management = prod.get("quarkus.management.enabled") == "true"
    management_port = setting("QUARKUS_MANAGEMENT_PORT", "quarkus.management.port", "9000")
    if not management:
        fail(f"{where}: its production profile serves /q/metrics on the port the gateway reaches; "
             f"set %prod.quarkus.management.enabled=true in {name}/src/main/resources/application.properties")
    elif str(management_port) in ("0", str(port)):
        fail(f"{where}: the management port is {management_port}; set QUARKUS_MANAGEMENT_PORT to a fixed port of its own")
    elif str(ports.get("management")) != str(management_port):
        fail(f"{where}: container port management is {ports.get('management')}, the management interface listens on {management_port}")
    else:
        management_ports[name] = int(management_port)
    on_management = management and prod.get("quarkus.smallrye-health.management.enabled", "true") != "false"
    health = ("management", management_port) if on_management else ("http", port)
    metrics = ("management", management_port) if management else ("http", port)
    for probe, path in PROBES.items():
        get = container.get(probe, {}).get("httpGet")
        if not get:
            fail(f"{where}: no {probe}")
        elif get["path"] != path or str(get["port"]) not in (health[0], str(health[1])):
            fail(f"{where}: {probe} is {get['path']} on port {get['port']}, the service serves {path} on {health[0]} ({health[1]})")
    if annotations.get("prometheus.io/scrape") != "true" or annotations.get("prometheus.io/path") != "/q/metrics" \
            or str(annotations.get("prometheus.io/port")) != str(metrics[1]):
        fail(f"{where}: the Prometheus annotations do not point at /q/metrics on the {metrics[0]} port ({metrics[1]})")
    # The Swagger UI is for developers; production serves the API, and /q/openapi for client generators.
    swagger = setting("QUARKUS_SWAGGER_UI_ENABLED", "quarkus.swagger-ui.enabled", prod.get("quarkus.swagger-ui.enable", "true"))
    if uses_web[name] and str(swagger).lower() != "false":
        fail(f"{where}: the Swagger UI is on in production; set %prod.quarkus.swagger-ui.enabled=false")

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
    container_ports = {p.get("name"): p["containerPort"] for p in hits[0]["spec"]["template"]["spec"]["containers"][0].get("ports", [])}
    for port in service["spec"]["ports"]:
        target = port.get("targetPort", port["port"])
        if isinstance(target, str) and target not in container_ports:
            fail(f"Service {service['metadata']['name']}: targetPort {target} is no port of {hits[0]['metadata']['name']}")
        if container_ports.get(target, target) == management_ports.get(hits[0]["metadata"]["name"]):
            fail(f"Service {service['metadata']['name']} exposes the management port ({port['port']} -> {target}): "
                 f"metrics are for Prometheus, which scrapes the pods; Services are what the gateway reaches")
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
                named_ports = {p.get("port") for p in rule.get("ports", []) if isinstance(p.get("port"), str)}
                for target in (peers if "to" in rule else selected(policy["spec"]["podSelector"]["matchLabels"])):
                    have = {p.get("name") for p in target["spec"]["template"]["spec"]["containers"][0]["ports"]}
                    if named_ports - have:
                        fail(f"{where}: port {sorted(named_ports - have)} is not a port of {target['metadata']['name']}")
calls = [p for p in policies if p["spec"]["podSelector"].get("matchLabels") == {"app.kubernetes.io/name": "provisioning-service"}
         and any(peer.get("podSelector", {}).get("matchLabels") == {"app.kubernetes.io/name": "registration-service"}
                 for rule in p["spec"].get("egress", []) for peer in rule.get("to", []))]
if not calls:
    fail("no NetworkPolicy lets provisioning-service call registration-service")


# Who reaches the management port (metrics): Prometheus' namespace, nobody else; and Prometheus does.
MONITORING = {"countersign.org/monitoring": "true"}
IDENTITY_PROVIDER = {"countersign.org/identity-provider": "true"}


def opens(rule, name, number):
    """Whether a rule's ports include the container port `name` (number); no ports means all of them."""
    if not rule.get("ports"):
        return True
    for p in rule["ports"]:
        port = p.get("port")
        if port is None or str(port) in (name, str(number)) or (isinstance(port, int) and p.get("endPort", port) >= number > port):
            return True
    return False


def describe(peer):
    return "everyone" if peer is None else ", ".join(f"{k} {v.get('matchLabels', v) if isinstance(v, dict) else v}" for k, v in peer.items())


def ingress_rules(deployment):
    labels = deployment["spec"]["template"]["metadata"]["labels"]
    return [(p, rule) for p in policies if matches(p["spec"]["podSelector"].get("matchLabels"), labels)
            for rule in p["spec"].get("ingress", [])]


def egress_rules(deployment):
    labels = deployment["spec"]["template"]["metadata"]["labels"]
    return [(p, rule) for p in policies if matches(p["spec"]["podSelector"].get("matchLabels"), labels)
            for rule in p["spec"].get("egress", [])]


for deployment in deployments:
    name = deployment["metadata"]["name"]
    if name not in management_ports:
        continue
    scraped = False
    for policy, rule in ingress_rules(deployment):
        if not opens(rule, "management", management_ports[name]):
            continue
        for peer in rule.get("from") or [None]:
            if peer and peer.get("namespaceSelector", {}).get("matchLabels") == MONITORING and "ipBlock" not in peer:
                scraped = True
            else:
                fail(f"NetworkPolicy {policy['metadata']['name']} lets {describe(peer)} reach the management port of {name}: "
                     f"only Prometheus (namespaces labelled countersign.org/monitoring=true) may")
    if not scraped:
        fail(f"no NetworkPolicy lets Prometheus (countersign.org/monitoring=true) reach the management port of {name}")

# Egress: the internet (any address outside the private, shared and link-local ranges) only from the pods
# that need it, only on their ports; every pod resolves names and reaches the identity provider's JWKS.
PRIVATE = [ipaddress.ip_network(n) for n in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10",
                                              "169.254.0.0/16", "127.0.0.0/8", "fc00::/7", "fe80::/10", "::1/128")]


def public(peer):
    """Whether an egress peer reaches addresses outside the cluster's private ranges (no `to` = anywhere)."""
    if peer is None:
        return True
    if "ipBlock" not in peer:
        return False
    try:
        network = ipaddress.ip_network(peer["ipBlock"]["cidr"], strict=False)
    except ValueError:
        fail(f"ipBlock {peer['ipBlock']['cidr']} is no CIDR")
        return False
    return not any(network.version == p.version and network.subnet_of(p) for p in PRIVATE)


for deployment in deployments:
    name = deployment["metadata"]["name"]
    allowed = INTERNET_CLIENTS.get(name, set())
    resolves = reaches_identity_provider = False
    for policy, rule in egress_rules(deployment):
        ports = {(p.get("protocol", "TCP"), p.get("port")) for p in rule.get("ports", [])} or {("any protocol", "any port")}
        peers = rule.get("to") or [None]
        if any(public(peer) for peer in peers) and not ports <= allowed:
            reach = ", ".join(f"{proto} {port}" for proto, port in sorted(ports - allowed, key=str))
            fail(f"NetworkPolicy {policy['metadata']['name']} lets {name} reach the internet "
                 f"({', '.join(describe(p) for p in peers if public(p))}; {reach}): "
                 + ("only " + ", ".join(sorted(INTERNET_CLIENTS)) + " may, for FCM and APNs" if not allowed
                    else "only " + ", ".join(f"{proto} {port}" for proto, port in sorted(allowed))))
        if ("UDP", 53) in ports:
            resolves = True
        if any((peer or {}).get("namespaceSelector", {}).get("matchLabels") == IDENTITY_PROVIDER for peer in peers):
            reaches_identity_provider = True
    if not resolves:
        fail(f"no NetworkPolicy lets {name} resolve names (UDP 53)")
    if not reaches_identity_provider:
        fail(f"no NetworkPolicy lets {name} fetch the identity provider's keys (countersign.org/identity-provider=true)")

# The example PodMonitor (Prometheus Operator) scrapes the management port of Countersign's pods.
podmonitor = os.path.join(DEPLOY, "examples", "podmonitor.yaml")
for monitor in (load_all(podmonitor) if os.path.exists(podmonitor) else []):
    endpoints = monitor["spec"].get("podMetricsEndpoints", [])
    if not endpoints or any(e.get("port") != "management" or e.get("path") != "/q/metrics" for e in endpoints):
        fail("examples/podmonitor.yaml must scrape /q/metrics on the port named management")
    if len(selected(monitor["spec"].get("selector", {}).get("matchLabels", {}))) != len(SERVICES):
        fail("examples/podmonitor.yaml does not select every Countersign pod")

# The image: every FROM pinned by digest (a tag moves; a digest is the bytes that were reviewed), and the
# ports it defaults to are the ones the manifests use.
dockerfile = open(os.path.join(DEPLOY, "Dockerfile")).read()
stages = set()
froms = re.findall(r"^\s*FROM\s+(.+)$", dockerfile, re.M | re.I)
if not froms:
    fail("Dockerfile: no FROM")
for line in froms:
    words = [w for w in line.split() if not w.startswith("--")]
    if words[0] not in stages and not re.fullmatch(r"[a-z0-9][\w./-]*(:\d+)?[\w./-]*:[\w][\w.-]*@sha256:[0-9a-f]{64}", words[0]):
        fail(f"Dockerfile: FROM {words[0]} is not pinned by digest (image:tag@sha256:<64 hex digits>; README.md, 'Base image')")
    if len(words) >= 3 and words[1].lower() == "as":
        stages.add(words[2])  # a later FROM may name this stage
config = next((c for c in of_kind("ConfigMap") if re.fullmatch(r"countersign-config(-[a-z0-9]{10})?", c["metadata"]["name"])), {}).get("data", {})
for var in ("QUARKUS_HTTP_PORT", "QUARKUS_MANAGEMENT_PORT"):
    image_value = re.search(rf"\b{var}=(\d+)", dockerfile)
    if var in config and (not image_value or image_value.group(1) != config[var]):
        fail(f"Dockerfile: ENV {var} is {image_value.group(1) if image_value else 'missing'}, the manifests use {config[var]}")

# The Strimzi example lists exactly the topics of libs/events-core.
topics_java = open(os.path.join(REPO, "libs/events-core/src/main/java/org/countersign/events/Topics.java")).read()
topics = set(re.findall(r'static final String \w+ = "([^"]+)"', topics_java))
example_topics = {d["metadata"]["name"] for d in load_all(os.path.join(DEPLOY, "examples", "strimzi.yaml")) if d["kind"] == "KafkaTopic"}
if topics != example_topics:
    fail(f"examples/strimzi.yaml topics differ from Topics.java: {sorted(topics ^ example_topics)}")

for failure in dict.fromkeys(failures):
    print("FAIL " + failure)
sys.exit(1 if failures else 0)
