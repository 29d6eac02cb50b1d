// Checks Kubernetes resources against the API's own schemas, without a cluster (deploy/check.sh runs it
// from its tool cache, where these packages are installed):
//   - kubernetes-models (ajv): wrong types, missing required fields, values outside an enum;
//   - the field maps of @kubernetes/client-node, generated from a current Kubernetes: fields the API
//     does not have (a misspelt `readinessProbe` is silently dropped by a real cluster), and
//     apiVersion/kind pairs it no longer serves (policy/v1beta1 and the like).
// Custom resources (Strimzi, Prometheus Operator) are skipped here; check.py checks what matters in them.
// Usage: node schema.mjs FILE.yaml...   Prints one FAIL line per problem and exits 1 if there is any;
// prints nothing otherwise.
import fs from "node:fs";
import { loadAll } from "js-yaml";
import * as fields from "@kubernetes/client-node/dist/gen/models/all.js";

const CUSTOM_GROUPS = new Set(["kafka.strimzi.io", "monitoring.coreos.com"]);
const failures = [];
let checked = 0;

function unknownFields(value, type, path, where) {
  if (value === null || value === undefined) return;
  const array = /^Array<(.+)>$/.exec(type);
  if (array) {
    if (Array.isArray(value)) value.forEach((item, i) => unknownFields(item, array[1], `${path}[${i}]`, where));
    return;
  }
  const map = /^\{ \[key: string\]: (.+); \}$/.exec(type);
  if (map) {
    if (typeof value === "object") for (const [k, v] of Object.entries(value)) unknownFields(v, map[1], `${path}.${k}`, where);
    return;
  }
  const model = fields[type];
  if (!model || !model.attributeTypeMap || typeof value !== "object" || Array.isArray(value)) return;
  const known = new Map(model.attributeTypeMap.map((a) => [a.baseName, a.type]));
  for (const [key, child] of Object.entries(value)) {
    if (!known.has(key)) {
      failures.push(`${where}: ${path ? path + "." : ""}${key} is no field of ${type.replace(/^V\d\w*?(?=[A-Z])/, "")} (misspelt?)`);
    } else {
      unknownFields(child, known.get(key), `${path ? path + "." : ""}${key}`, where);
    }
  }
}

for (const file of process.argv.slice(2)) {
  const docs = loadAll(fs.readFileSync(file, "utf8")).filter((d) => d !== null && d !== undefined);
  for (const doc of docs) {
    // The rendering lives in a temporary folder: name only the resource there.
    const source = file.includes("/deploy/") ? file.replace(/^.*\/deploy\//, "deploy/") + ": " : "";
    const where = `${source}${doc.kind}/${doc.metadata?.name}`;
    const apiVersion = String(doc.apiVersion ?? "");
    const slash = apiVersion.lastIndexOf("/");
    const group = slash < 0 ? "" : apiVersion.slice(0, slash);
    const version = apiVersion.slice(slash + 1);
    if (CUSTOM_GROUPS.has(group)) continue;
    checked++;
    let Model;
    try {
      Model = (await import(`kubernetes-models/${apiVersion}/${doc.kind}`))[doc.kind];
    } catch {
      Model = undefined;
    }
    const className = version.charAt(0).toUpperCase() + version.slice(1) + doc.kind;
    if (!Model || !fields[className]) {
      failures.push(`${where}: Kubernetes serves no ${doc.kind} in ${apiVersion || "(no apiVersion)"}`);
      continue;
    }
    try {
      new Model(doc).validate();
    } catch (e) {
      failures.push(`${where}: ${e.message}`);
    }
    unknownFields(doc, className, "", where);
  }
}

if (checked === 0) failures.push("no Kubernetes resource to check: the rendering is empty");
for (const failure of failures) console.log("FAIL " + failure);
if (failures.length) process.exit(1);
