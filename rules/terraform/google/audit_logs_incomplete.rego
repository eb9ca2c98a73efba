# METADATA
# title: Data Access audit logs are not recorded for all services and users
# description: >-
#   Cloud Audit Logs always record administrative changes, but the Data Access
#   logs (ADMIN_READ for reads of configuration and IAM policies, DATA_READ
#   and DATA_WRITE for reads and writes of user data) are off by default for
#   almost every service: without them nobody can tell who read a secret,
#   listed a bucket or queried a table, and an exfiltration leaves no trace.
#   ISO/IEC 27002 10.10.1 asks for audit logs recording user activities and
#   information security events, kept to assist investigations and access
#   control monitoring. An audit configuration for `allServices` is the way to
#   turn them on for a project, folder or organisation; this rule flags one
#   that leaves out any of the three log types, and any audit configuration
#   that exempts members, since their activity then goes unrecorded. It reads
#   `google_project_iam_audit_config`, `google_folder_iam_audit_config`,
#   `google_organization_iam_audit_config` and the `audit_config` blocks of a
#   `data.google_iam_policy` used by a project, folder or organisation IAM
#   policy. A project without any audit configuration in the module is not
#   flagged: Data Access logs may be enabled for it on a folder or the
#   organisation, which the module cannot see. Values known only after apply
#   make the check inconclusive.
# custom:
#   id: CL-GCP-010
#   severity: medium
#   targets: [terraform]
#   provider: google
#   controls:
#     iso27002:2005: ["10.10.1"]
#     iso27002:2022: ["8.15"]
#   remediation: >-
#     Use `service = "allServices"` with three `audit_log_config` blocks,
#     `log_type = "ADMIN_READ"`, `"DATA_READ"` and `"DATA_WRITE"`, and no
#     `exempted_members`; reduce log volume with exclusion filters on the log
#     sink rather than by exempting principals.
#   applies_to: [google_project_iam_audit_config, google_folder_iam_audit_config, google_organization_iam_audit_config, google_project_iam_policy, google_folder_iam_policy, google_organization_iam_policy]
package clause.rules.terraform.google.audit_logs_incomplete

import data.clause.lib.terraform as tf
import rego.v1

required_types := ["ADMIN_READ", "DATA_READ", "DATA_WRITE"]

# Audit configurations: {"address", "service", "service_path", "configs":
# [{"values", "at"}]} with paths as full input paths.
audit_configs contains {"address": address, "service": object.get(r.values, "service", null), "service_path": tf.path(address, ["service"]), "configs": configs, "configs_value": object.get(r.values, "audit_log_config", null), "configs_path": tf.path(address, ["audit_log_config"])} if {
	some type in ["google_project_iam_audit_config", "google_folder_iam_audit_config", "google_organization_iam_audit_config"]
	some address, r in tf.resources(type)
	configs := [{"values": c, "at": tf.path(address, ["audit_log_config", i])} |
		some i, c in tf.blocks(r.values, "audit_log_config")
		is_object(c)
	]
}

audit_configs contains {"address": policy_name(ds), "service": object.get(a, "service", null), "service_path": tf.path(ds, ["audit_config", i, "service"]), "configs": configs, "configs_value": object.get(a, "audit_log_configs", null), "configs_path": tf.path(ds, ["audit_config", i, "audit_log_configs"])} if {
	some ds in policy_sources
	some i, a in tf.blocks(input.resources[ds].values, "audit_config")
	is_object(a)
	configs := [{"values": c, "at": tf.path(ds, ["audit_config", i, "audit_log_configs", j])} |
		some j, c in tf.blocks(a, "audit_log_configs")
		is_object(c)
	]
}

# The IAM policy data sources used by project, folder or organisation
# policies.
policy_sources contains ds if {
	some type in ["google_project_iam_policy", "google_folder_iam_policy", "google_organization_iam_policy"]
	some _, p in tf.resources(type)
	tf.is_unknown(p.values.policy_data)
	some ds in tf.list(p.values.policy_data.__refs__)
	is_string(ds)
	input.resources[ds].type == "google_iam_policy"
}

policy_users(ds) := sort([address |
	some type in ["google_project_iam_policy", "google_folder_iam_policy", "google_organization_iam_policy"]
	some address, p in tf.resources(type)
	tf.refers_to(p.values.policy_data, ds)
])

policy_name(ds) := sprintf("%s (the policy of %s)", [ds, concat(", ", policy_users(ds))])

missing_types(a) := [t |
	some t in required_types
	not recorded(a, t)
]

recorded(a, t) if {
	some c in a.configs
	c.values.log_type == t
}

undecided_types(a) if {
	some c in a.configs
	tf.is_unknown(c.values.log_type)
}

undecided_types(a) if tf.is_unknown(a.configs_value)

deny contains {"msg": msg, "label": "data access not logged", "path": a.service_path} if {
	some a in audit_configs
	a.service == "allServices"
	missing := missing_types(a)
	count(missing) > 0
	not undecided_types(a)
	msg := sprintf("%s does not record %s audit logs for allServices", [a.address, concat(", ", missing)])
}

deny contains {"msg": msg, "label": "exempt from audit logs", "path": array.concat(c.at, ["exempted_members", k])} if {
	some a in audit_configs
	some c in a.configs
	some k, m in tf.list(c.values.exempted_members)
	is_string(m)
	msg := sprintf("%s exempts %s from %v audit logs of %v", [a.address, m, c.values.log_type, a.service])
}

# Checks that depend on a value known only after apply.
inconclusive contains {"msg": msg, "path": a.service_path} if {
	some a in audit_configs
	tf.is_unknown(a.service)
	count(missing_types(a)) > 0
	msg := sprintf("%s may leave out %s audit logs: service = %s is known only after apply", [a.address, concat(", ", missing_types(a)), a.service.__unknown__])
}

inconclusive contains {"msg": msg, "path": c.at} if {
	some a in audit_configs
	a.service == "allServices"
	count(missing_types(a)) > 0
	some c in a.configs
	tf.is_unknown(c.values.log_type)
	msg := sprintf("%s may leave out %s audit logs for allServices: log_type = %s is known only after apply", [a.address, concat(", ", missing_types(a)), c.values.log_type.__unknown__])
}

inconclusive contains {"msg": msg, "path": a.configs_path} if {
	some a in audit_configs
	a.service == "allServices"
	tf.is_unknown(a.configs_value)
	msg := sprintf("%s may leave out Data Access audit logs for allServices: its log types are known only after apply", [a.address])
}

inconclusive contains {"msg": msg, "path": array.concat(c.at, ["exempted_members"])} if {
	some a in audit_configs
	some c in a.configs
	tf.is_unknown(c.values.exempted_members)
	msg := sprintf("%s may exempt members from audit logs: exempted_members = %s is known only after apply", [a.address, c.values.exempted_members.__unknown__])
}
