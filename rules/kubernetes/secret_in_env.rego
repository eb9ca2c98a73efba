# METADATA
# title: Secret written as a plain environment value
# description: >-
#   An environment variable named like a credential (DB_PASSWORD, API_KEY,
#   GITHUB_TOKEN, clientSecret, PGPASSWORD, ...), or a URL or connection
#   string with a password in it, given as a literal `value`, puts the secret
#   in the manifest: in version control, in CI logs and rendered charts, and
#   in the workload object, which anyone
#   allowed to read Deployments or Pods can see and which is not covered by
#   Secret RBAC or encryption at rest. It also cannot be rotated without a
#   code change. ISO/IEC 27002 11.5.3 asks that passwords be stored and
#   transmitted in protected form, separately from application data, and
#   12.3.2 that secret and private keys be protected against disclosure;
#   a literal in a manifest is neither. References (`valueFrom`, `$(VAR)`),
#   template placeholders and secret-manager references are not reported.
# custom:
#   id: CL-K8S-010
#   severity: high
#   targets: [kubernetes]
#   controls:
#     iso27002:2005: ["11.5.3", "12.3.2"]
#     iso27002:2022: ["5.17", "8.24"]
#   remediation: >-
#     Move the value into a Secret (created from a secret manager, e.g. via
#     External Secrets or Sealed Secrets, not committed in clear) and reference
#     it with `valueFrom: {secretKeyRef: {name: ..., key: ...}}` or `envFrom:
#     [{secretRef: {name: ...}}]`; then rotate the exposed credential, since it
#     is already in the repository's history.
#   applies_to: [Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob, PodTemplate, DeploymentConfig, Rollout]
#   mentions: [env]
package clause.rules.kubernetes.secret_in_env

import data.clause.lib.kubernetes as k8s
import data.clause.lib.kubernetes.containers
import data.clause.lib.kubernetes.label
import rego.v1

# A name's words, lower case: DB_PASSWORD, db-password, dbPassword and
# DBPassword all give ["db", "password"].
words(name) := [lower(w) |
	camel := regex.replace(regex.replace(name, `([a-z0-9])([A-Z])`, "${1}_${2}"), `([A-Z]+)([A-Z][a-z])`, "${1}_${2}")
	some w in regex.split(`[^A-Za-z0-9]+`, camel)
	w != ""
]

# Words that name a credential wherever they appear.
secret_words := {
	"password", "passwd", "pwd", "passphrase", "secret", "secrets", "token",
	"credential", "credentials", "creds", "apikey", "privatekey", "secretkey",
	"accesskey", "authkey", "authtoken", "clientsecret", "authorization",
}

# Words that name a credential as the last word only (DB_PASS, BASIC_AUTH).
last_words := {"pass", "auth"}

# `<x>_KEY` is a credential for these x (API_KEY, ACCESS_KEY, APP_KEY...).
key_prefixes := {
	"api", "access", "private", "secret", "auth", "signing", "sign", "encryption",
	"encrypt", "master", "session", "hmac", "jwt", "ssh", "cookie", "client",
	"app", "storage", "account", "shared", "subscription", "license", "tls",
}

# A last word that makes the variable describe a credential rather than hold
# it: PASSWORD_FILE, TOKEN_TTL, SECRET_NAME, AWS_ACCESS_KEY_ID.
descriptive := {
	"file", "path", "dir", "directory", "name", "ref", "url", "uri", "endpoint",
	"host", "port", "length", "len", "ttl", "expiry", "expiration", "expires",
	"timeout", "lifetime", "duration", "seconds", "secs", "ms", "minutes",
	"hours", "days", "enabled", "enable", "disabled", "disable", "required",
	"policy", "type", "mode", "method", "provider", "id", "header", "field",
	"env", "var", "location", "mount", "source", "store", "backend", "format",
	"prefix", "suffix", "version", "audience", "issuer", "algorithm", "alg",
	"scope", "scopes", "size", "min", "max", "count", "interval", "user",
	"username", "email", "hash", "salt", "regex", "pattern", "strength",
	"complexity", "length", "rotation", "arn", "key" , "keys", "namespace",
	"label", "annotation", "selector", "class", "kind", "region", "bucket",
	"vault", "manager", "service", "server", "address", "addr", "enforce",
	"check", "validation", "reset", "retries", "attempts", "limit", "level",
	"rounds", "iterations", "cost", "bits", "strategy", "retry", "delay",
}

# Each env name's words, split once per manifest: every test below reads
# them, and splitting takes three regular expressions.
name_words := {name: words(name) |
	some c in containers
	env := c.container.env
	is_array(env)
	some e in env
	name := e.name
	is_string(name)
}

secret_name(name) if {
	w := name_words[name]
	count(w) > 0
	not w[count(w) - 1] in descriptive
	some word in w
	word in secret_words
}

# Run-together names: PGPASSWORD, HTPASSWD, sasToken written SASTOKEN.
secret_name(name) if {
	w := name_words[name]
	count(w) > 0
	not w[count(w) - 1] in descriptive
	some word in w
	some suffix in joined_suffixes
	endswith(word, suffix)
}

joined_suffixes := {"password", "passwd", "secret", "token", "apikey", "accesskey", "secretkey", "privatekey"}

secret_name(name) if {
	w := name_words[name]
	w[count(w) - 1] in last_words
}

secret_name(name) if {
	w := name_words[name]
	n := count(w)
	n >= 2
	w[n - 1] == "key"
	w[n - 2] in key_prefixes
}

# Mode words a *_AUTH variable takes that are not credentials.
auth_modes := {
	"true", "false", "yes", "no", "on", "off", "none", "basic", "bearer", "digest",
	"oauth", "oauth2", "oidc", "jwt", "ldap", "kerberos", "ntlm", "token",
	"password", "disabled", "enabled", "required", "optional", "internal",
	"external", "iam", "aws", "azure", "gcp", "sasl", "scram", "tls", "mtls",
}

# Values that are not the secret itself: empty, placeholders a templating
# step replaces, Kubernetes $(VAR) references, paths to a file holding the
# secret, and references an injector resolves from a secret manager.
not_a_literal(v) if trim_space(v) == ""

not_a_literal(v) if contains(v, "{{")

not_a_literal(v) if regex.match(`\$\([A-Za-z_][A-Za-z0-9_]*\)`, v)

not_a_literal(v) if regex.match(`\$\{[^}]+\}`, v)

not_a_literal(v) if regex.match(`^<[^<>]*>$`, trim_space(v))

not_a_literal(v) if regex.match(`^(/|\./|~/)[A-Za-z0-9._/-]*$`, v)

not_a_literal(v) if regex.match(`^(vault:|ref\+[a-z0-9]+://|arn:aws[a-z-]*:(secretsmanager|ssm):|sm://|gcp:secretmanager:|projects/[^/]+/secrets/|akv://|azkv://|op://|kms://|file://)`, v)

not_a_literal(v) if lower(trim_space(v)) in {"true", "false", "yes", "no", "on", "off", "null", "none", "0", "1"}

# Switches about a secret, not the secret: MYSQL_ALLOW_EMPTY_PASSWORD,
# MYSQL_RANDOM_ROOT_PASSWORD, SKIP_PASSWORD_CHECK.
switch_words := {"allow", "random", "skip", "empty", "generate", "use", "require", "disable", "enable"}

switch_name(name) if {
	some w in name_words[name]
	w in switch_words
}

env_entries contains {"c": c, "i": i, "name": e.name, "value": e.value} if {
	some c in containers
	env := c.container.env
	is_array(env)
	some i, e in env
	is_string(e.name)
	is_string(e.value)
	not e.valueFrom
	not not_a_literal(e.value)
	not switch_name(e.name)
}

# A URL with a password in its user info (postgres://app:s3cret@db:5432/app)
# or a connection string with one (Server=db;User Id=app;Password=s3cret).
embedded_password(v) := "a URL" if regex.match(`^[A-Za-z][A-Za-z0-9+.-]*://[^/@ \t:]+:[^/@ \t]+@`, v)

embedded_password(v) := "a connection string" if {
	not regex.match(`^[A-Za-z][A-Za-z0-9+.-]*://[^/@ \t:]+:[^/@ \t]+@`, v)
	regex.match(`(^|;)[ \t]*(password|pwd)[ \t]*=[ \t]*[^; \t]`, lower(v))
}


deny contains {
	"msg": sprintf("%s: container %q sets %s to a literal secret in the manifest", [label, k8s.container_name(e.c), e.name]),
	"path": array.concat(e.c.path, ["env", e.i, "value"]),
} if {
	some e in env_entries
	secret_name(e.name)
	not auth_mode(e)
}

deny contains {
	"msg": sprintf("%s: container %q sets %s to %s with a literal password in it", [label, k8s.container_name(e.c), e.name, kind]),
	"path": array.concat(e.c.path, ["env", e.i, "value"]),
} if {
	some e in env_entries
	not secret_name(e.name)
	kind := embedded_password(e.value)
}

# BASIC_AUTH: "basic" names a mechanism, not a credential.
auth_mode(e) if {
	w := name_words[e.name]
	w[count(w) - 1] == "auth"
	lower(trim_space(e.value)) in auth_modes
}
