# METADATA
# title: SSM Session Manager keeps idle sessions open longer than 15 minutes
# description: >-
#   Session Manager sessions are interactive shells on instances, often with
#   administrative rights. A session left open on an unattended workstation
#   can be used by anyone who sits down at it, and a stolen browser or CLI
#   session stays usable for as long as the shell does. Session Manager ends a
#   session after `idleSessionTimeout` minutes without activity: 20 when the
#   Session Manager preferences document (`document_type = "Session"`,
#   `sessionType = "Standard_Stream"`, usually named
#   `SSM-SessionManagerRunShell`) does not set it, and up to 60. ISO/IEC 27002
#   11.5.5 asks that inactive sessions shut down after a defined period of
#   inactivity; the rule takes 15 minutes, the limit that PCI DSS (8.2.8) and
#   the CIS operating-system benchmarks (`TMOUT=900`) set for idle
#   administrative sessions. The preferences may be written as JSON (with
#   `jsonencode()`, a heredoc or `file()`) or as YAML (`document_format =
#   "YAML"`). Content known only after apply makes the check inconclusive.
# custom:
#   id: CL-AWS-043
#   severity: low
#   targets: [terraform]
#   provider: aws
#   controls:
#     iso27002:2005: ["11.5.5"]
#     iso27002:2022: ["8.5"]
#   remediation: >-
#     In the Session Manager preferences document's `inputs`, set
#     `idleSessionTimeout = "15"` or less (minutes, as a string), and consider
#     `maxSessionDuration` to cap the length of any session.
#   applies_to: [aws_ssm_document]
package clause.rules.terraform.aws.ssm_session_idle_timeout_long

import data.clause.lib.terraform as tf
import rego.v1

limit := 15

aws_default := 20

session_documents := {address: d |
	some address, d in tf.resources("aws_ssm_document")
	d.values.document_type == "Session"
}

yaml_format(values) if {
	is_string(values.document_format)
	upper(values.document_format) == "YAML"
}

# preferences(values): what the content says, as {"timeout": minutes or null}
# for a Standard_Stream document.
preferences(values) := {"timeout": object.get(object.get(doc, "inputs", {}), "idleSessionTimeout", null)} if {
	not yaml_format(values)
	is_string(values.content)
	json.is_valid(values.content)
	doc := json.unmarshal(values.content)
	is_object(doc)
	doc.sessionType == "Standard_Stream"
}

# YAML content: the two scalars the rule needs, read line by line.
preferences(values) := {"timeout": yaml_scalar(values.content, "idleSessionTimeout")} if {
	yaml_format(values)
	is_string(values.content)
	yaml_scalar(values.content, "sessionType") == "Standard_Stream"
}

yaml_scalar(text, key) := value if {
	matches := regex.find_all_string_submatch_n(sprintf(`(?m)^\s*%s\s*:\s*["']?([A-Za-z0-9_]+)["']?\s*(#.*)?$`, [key]), text, 1)
	count(matches) == 1
	value := matches[0][1]
} else := null

minutes(v) := v if is_number(v)

minutes(v) := to_number(v) if {
	is_string(v)
	regex.match(`^[0-9]+$`, v)
}

deny contains {"msg": msg, "label": "idle sessions stay open", "path": tf.path(address, ["content"])} if {
	some address, d in session_documents
	p := preferences(d.values)
	m := minutes(p.timeout)
	m > limit
	msg := sprintf("%s keeps idle Session Manager sessions open for %v minutes (idleSessionTimeout), more than %d", [address, m, limit])
}

deny contains {"msg": msg, "label": "idle sessions stay open", "path": tf.path(address, ["content"])} if {
	some address, d in session_documents
	p := preferences(d.values)
	p.timeout == null
	msg := sprintf("%s does not set idleSessionTimeout, so idle Session Manager sessions stay open for %d minutes, more than %d", [address, aws_default, limit])
}

# Checks that depend on a value known only after apply.

undecided contains {"msg": msg, "path": tf.path(address, ["content"])} if {
	some address, d in session_documents
	tf.is_unknown(d.values.content)
	msg := sprintf("%s may keep idle Session Manager sessions open longer than %d minutes: its content is known only after apply", [address, limit])
}

# A resource the rule fails anyway has nothing left to decide.
failed := {d.path[1] | some d in deny}

inconclusive contains c if {
	some c in undecided
	not c.path[1] in failed
}
