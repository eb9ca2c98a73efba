# METADATA
# title: Secret manifest holds literal secret values
# description: >-
#   A Secret manifest whose `data` or `stringData` carries real values puts
#   the credentials in the repository: base64 in `data` is an encoding, not
#   encryption, so everyone with read access to the repository, its forks,
#   CI logs and backups can read them, they stay in the history after
#   removal, and they cannot be rotated without a commit. ISO/IEC 27002 11.3.1
#   asks users to keep secret authentication information confidential and
#   out of records that others can read; a committed Secret is such a record.
#   Empty values, template placeholders (`{{ }}`, `${VAR}`, `<password>`,
#   changeme-style markers), secret-manager references, SOPS-encrypted
#   manifests, certificates (`tls.crt`, `ca.crt`) and user names are not
#   reported; SealedSecrets and ExternalSecrets are other kinds and are not
#   examined. Values a template fills in are reported as inconclusive.
# custom:
#   id: CL-K8S-021
#   severity: high
#   targets: [kubernetes]
#   controls:
#     iso27002:2005: ["11.3.1"]
#     iso27002:2022: ["5.17"]
#   remediation: >-
#     Remove the Secret manifest from the repository and create it from a
#     secret manager at deploy time (External Secrets Operator, the Secrets
#     Store CSI driver, Vault), or commit it encrypted (Sealed Secrets, SOPS);
#     then rotate every value it held, since the history keeps them.
#   applies_to: [Secret]
package clause.rules.kubernetes.secret_manifest_literal

import data.clause.lib.kubernetes as k8s
import data.clause.lib.kubernetes.label
import rego.v1

# SOPS-encrypted manifests carry a top-level `sops` block.
examined if {
	input.kind == "Secret"
	input.apiVersion == "v1"
	not input.sops
}

# Keys whose values are not secret.
public_keys := {"tls.crt", "ca.crt", "username", "user"}

public(key, _) if lower(key) in public_keys

public(key, _) if {
	key == "namespace"
	input.type == "kubernetes.io/service-account-token"
}

# A certificate (or chain) alone is public.
public(_, value) if {
	startswith(trim_space(value), "-----BEGIN CERTIFICATE-----")
	not contains(value, "PRIVATE KEY")
}

# The text a `data` value stands for (base64), or the `stringData` value.
plain("data", v) := base64.decode(trim_space(v)) if base64.is_valid(trim_space(v))

plain("data", v) := v if not base64.is_valid(trim_space(v))

plain("stringData", v) := v

placeholder(v) if trim_space(v) == ""

placeholder(v) if regex.match(`^\s*<[^<>]*>\s*$`, v)

placeholder(v) if regex.match(`^\s*(\$\{[^}]*\}|\$\([^)]*\)|\{\{.*\}\}|%\{[^}]*\}|@[A-Za-z0-9_.-]+@|__[A-Za-z0-9_]+__)\s*$`, v)

placeholder(v) if regex.match(`(?i)^\s*(change[-_ ]?me|replace[-_ ]?me|to[-_ ]?do|tbd|placeholder|redacted|dummy|example|your[-_ ][^\s]*|x{3,}|\*{3,}|\.{3,}|-+)\s*$`, v)

# References a tool resolves at deploy time (argocd-vault-plugin, vals,
# SOPS-encrypted values, secret-manager URIs).
placeholder(v) if regex.match(`^\s*(ENC\[|vault:|ref\+[a-z0-9]+://|arn:aws[a-z-]*:(secretsmanager|ssm):|sm://|projects/[^/]+/secrets/|akv://|azkv://|op://|kms://)`, v)

entries contains {"field": field, "key": key, "value": value} if {
	examined
	some field in ["data", "stringData"]
	values := input[field]
	is_object(values)
	some key, value in values
}

literal contains [e.field, e.key] if {
	some e in entries
	is_string(e.value)
	not k8s.templated(e.value)
	text := plain(e.field, e.value)
	not placeholder(text)
	not public(e.key, text)
}

# A number (`pin: 123456`) is a literal too, even though the API server
# would reject it in place of a string.
literal contains [e.field, e.key] if {
	some e in entries
	is_number(e.value)
	not public(e.key, "")
}

# `{{ .Values.x }}` written unquoted reads as a YAML mapping; a value that is
# not a string is a template or invalid, never a literal.
templated contains [e.field, e.key] if {
	some e in entries
	k8s.templated(e.value)
}

templated contains [e.field, e.key] if {
	some e in entries
	is_object(e.value)
}

keys_of(set, field) := sort([k | some [f, k] in set; f == field])

deny contains {
	"msg": sprintf("%s commits %d literal value(s) in %s: %s", [label, count(keys), field, concat(", ", keys)]),
	"path": [field],
	"label": "secret values in the repository",
} if {
	some field in ["data", "stringData"]
	keys := keys_of(literal, field)
	count(keys) > 0
}

inconclusive contains {
	"msg": sprintf("%s fills %s (%s) from a template: whether the repository holds the values (e.g. in a values file) is not known", [label, field, concat(", ", keys)]),
	"path": [field],
} if {
	some field in ["data", "stringData"]
	keys := keys_of(templated, field)
	count(keys) > 0
}

# `data:` itself a template expression.
inconclusive contains {
	"msg": sprintf("%s fills %s from a template: whether the repository holds the values is not known", [label, field]),
	"path": [field],
} if {
	examined
	some field in ["data", "stringData"]
	k8s.templated(input[field])
}
