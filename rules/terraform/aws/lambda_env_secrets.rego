# METADATA
# title: Lambda function environment holds a secret written in the configuration
# description: >-
#   Environment variables of a Lambda function are part of its configuration:
#   a password, token or key written there as a literal is in the repository
#   and its history, in the Terraform state, and readable in plain text by
#   anyone allowed `lambda:GetFunctionConfiguration` (a far wider group than
#   those allowed to read the secret itself), and it cannot be rotated
#   without a deployment. ISO/IEC 27002 11.3.1 asks that secret
#   authentication information be kept confidential and never recorded where
#   others can read it. A variable is flagged when its name says it holds a
#   secret (password, secret, token, API key, private key, credential,
#   connection string; names that only point at a secret such as `*_ARN`,
#   `*_NAME`, `*_ID` or `*_PATH` are not) and its value is a literal, or when
#   any value is a URL with an embedded password or a PEM private key.
#   Values known only after apply (read from Secrets Manager or SSM, a
#   variable without a value) are not written in code and are not flagged;
#   when such an expression falls back to a literal the check is reported as
#   inconclusive. Plans are not examined, since they hold every secret read
#   at plan time.
# custom:
#   id: CL-AWS-030
#   severity: high
#   targets: [terraform]
#   provider: aws
#   controls:
#     iso27002:2005: ["11.3.1"]
#     iso27002:2022: ["5.17"]
#   remediation: >-
#     Remove the literal and rotate the secret. Store it in Secrets Manager or
#     SSM Parameter Store (SecureString), pass only its name or ARN in the
#     environment (e.g. `DB_SECRET_ARN = aws_secretsmanager_secret.db.arn`),
#     grant the function's role `secretsmanager:GetSecretValue` on it, and read
#     it at run time (the AWS Parameters and Secrets Lambda Extension caches it).
#   applies_to: [aws_lambda_function]
package clause.rules.terraform.aws.lambda_env_secrets

import data.clause.lib.terraform as tf
import rego.v1

# Plans hold the values of data sources read at plan time: only
# configurations show what is written in code.
configuration if tf.has_key(input, "variables")

secret_name := `(?i)(passw(or)?d|passwd|pwd|(^|_)pass($|_)|secret|token|api_?key|apikey|private_?key|access_?key|auth_?key|signing_?key|credential|conn(ection)?_?str(ing)?|dsn$)`

# Names that point at a secret rather than hold one, or describe it.
pointer_name := `(?i)(^|_)(arn|name|id|ids|path|param|parameter|ssm|key_?id|region|ttl|expiry|expires|expiration|timeout|length|url|uri|endpoint|file|header|type|enabled|version|prefix|location|bucket|table|field|policy|rotation|duration|lifetime|seconds|minutes|hours|days|issuer|audience|scope|algorithm|alg)$`

harmless_values := {"none", "null", "nil", "true", "false", "yes", "no", "on", "off", "enabled", "disabled", "required", "optional"}

# pointer(v): a value that names where a secret is kept.
pointer(v) if startswith(v, "arn:")

pointer(v) if startswith(v, "/")

pointer(v) if startswith(v, "{{resolve:")

pointer(v) if contains(v, "${")

secret_value(name, v) if {
	regex.match(secret_name, name)
	not regex.match(pointer_name, name)
	is_string(v)
	count(trim_space(v)) >= 4
	not lower(trim_space(v)) in harmless_values
	not regex.match(`^[0-9.]+$`, v)
	not pointer(v)
}

# A password in a URL (`postgres://app:pw@host/db`) or a private key,
# whatever the variable is called.
secret_value(_, v) if {
	is_string(v)
	regex.match(`[a-zA-Z][a-zA-Z0-9+.-]*://[^/\s:@]+:[^/\s@]+@`, v)
}

secret_value(_, v) if {
	is_string(v)
	regex.match(`-----BEGIN [A-Z ]*PRIVATE KEY-----`, v)
}

variables contains {"address": address, "i": i, "name": name, "value": v} if {
	some address, fn in tf.resources("aws_lambda_function")
	some i, env in tf.blocks(fn.values, "environment")
	is_object(env)
	vars := env.variables
	is_object(vars)
	not tf.is_unknown(vars)
	some name, v in vars
}

deny contains {"msg": msg, "label": "secret in code", "path": tf.path(v.address, ["environment", v.i, "variables", v.name])} if {
	configuration
	some v in variables
	secret_value(v.name, v.value)
	msg := sprintf("%s keeps a secret in its environment variable %s, written in the configuration: it is readable by everyone with access to the code, the state or the function's configuration", [v.address, v.name])
}

# Checks that depend on a value known only after apply.

# An expression known only after apply that falls back to a literal string:
# a conditional's branch, or the last argument of coalesce, try or lookup.
fallback_pattern := `(\?\s*"[^"$\n]+"|:\s*"[^"$\n]+"\s*\)*\s*$|\b(coalesce|try|lookup)\s*\(.*,\s*"[^"$\n]+"\s*\))`

undecided contains {"msg": msg, "path": tf.path(v.address, ["environment", v.i, "variables", v.name])} if {
	configuration
	some v in variables
	regex.match(secret_name, v.name)
	not regex.match(pointer_name, v.name)
	tf.is_unknown(v.value)
	is_string(v.value.__unknown__)
	regex.match(fallback_pattern, v.value.__unknown__)
	msg := sprintf("%s may keep a secret written in the configuration in its environment variable %s: the value falls back to a literal when a value known only after apply is missing", [v.address, v.name])
}

# A resource the rule fails anyway has nothing left to decide.
failed := {d.path[1] | some d in deny}

inconclusive contains c if {
	some c in undecided
	not c.path[1] in failed
}
