# METADATA
# title: Service password is written in the Terraform configuration
# description: >-
#   A database master password, cache auth token, broker or directory
#   password written as a literal (directly, as a variable's default, in a
#   local or in a committed .tfvars file) is readable by everyone with access
#   to the repository, its history, forks and CI logs, and it cannot be
#   rotated without a commit; leaked repositories are scanned for exactly
#   these strings. ISO/IEC 27002 11.3.1 asks that users keep passwords
#   confidential and never record them where others can read them; a
#   password in source code is the opposite. Examined: `password` of RDS
#   instances, `master_password` of RDS, DocumentDB and Redshift clusters,
#   Redshift Serverless and DocumentDB Elastic admin passwords, ElastiCache
#   `auth_token` and user passwords, MemoryDB user passwords, Amazon MQ users,
#   DMS endpoints, OpenSearch master users, Directory Service directories and
#   CloudHSM key store passwords (and their write-only `_wo` variants). Values
#   known only after apply (a random_password, a Secrets Manager or SSM data
#   source, a variable without a value) are not written in the code and are
#   not flagged; when such an expression falls back to a literal (`coalesce(var.pw,
#   "changeme")`, a conditional), the check is reported as inconclusive. Plans
#   are not examined, since they hold every secret read at plan time.
# custom:
#   id: CL-AWS-028
#   severity: high
#   targets: [terraform]
#   provider: aws
#   controls:
#     iso27002:2005: ["11.3.1"]
#     iso27002:2022: ["5.17"]
#   remediation: >-
#     Remove the literal and rotate the password. Let AWS manage it
#     (`manage_master_user_password = true` on RDS, Aurora, Redshift and
#     DocumentDB), or generate it with `random_password` and store it in
#     Secrets Manager, or read it from `aws_secretsmanager_secret_version` /
#     `aws_ssm_parameter` (SecureString); on Terraform 1.11+ pass it through an
#     ephemeral resource to the `_wo` argument so it never reaches the state.
#   applies_to: [aws_db_instance, aws_rds_cluster, aws_docdb_cluster, aws_docdb_elastic_cluster, aws_redshift_cluster, aws_redshiftserverless_namespace, aws_elasticache_replication_group, aws_elasticache_user, aws_memorydb_user, aws_mq_broker, aws_dms_endpoint, aws_opensearch_domain, aws_directory_service_directory, aws_kms_custom_key_store]
package clause.rules.terraform.aws.password_hardcoded

import data.clause.lib.terraform as tf
import rego.v1

# Top-level password arguments of each resource type.
password_keys := {
	"aws_db_instance": ["password", "password_wo"],
	"aws_rds_cluster": ["master_password", "master_password_wo"],
	"aws_docdb_cluster": ["master_password", "master_password_wo"],
	"aws_docdb_elastic_cluster": ["admin_user_password"],
	"aws_redshift_cluster": ["master_password", "master_password_wo"],
	"aws_redshiftserverless_namespace": ["admin_user_password", "admin_user_password_wo"],
	"aws_elasticache_replication_group": ["auth_token"],
	"aws_dms_endpoint": ["password"],
	"aws_directory_service_directory": ["password"],
	"aws_kms_custom_key_store": ["key_store_password"],
}

# Plans hold the values of data sources read at plan time: only
# configurations show what is written in code.
configuration if tf.has_key(input, "variables")

# Every password setting, with where it is written.
settings contains {"address": address, "at": [key], "value": r.values[key], "what": sprintf("its %s", [key])} if {
	some type, keys in password_keys
	some address, r in tf.resources(type)
	some key in keys
	tf.has_key(r.values, key)
}

settings contains {"address": address, "at": ["passwords", i], "value": v, "what": "a password in passwords"} if {
	some address, r in tf.resources("aws_elasticache_user")
	some i, v in tf.list(r.values.passwords)
}

settings contains {"address": address, "at": ["passwords"], "value": r.values.passwords, "what": "a password in passwords"} if {
	some address, r in tf.resources("aws_elasticache_user")
	tf.is_unknown(r.values.passwords)
}

settings contains {"address": address, "at": ["authentication_mode", i, "passwords", j], "value": v, "what": "a password in authentication_mode"} if {
	some address, r in tf.resources("aws_memorydb_user")
	some i, mode in tf.blocks(r.values, "authentication_mode")
	is_object(mode)
	some j, v in tf.list(mode.passwords)
}

settings contains {"address": address, "at": ["user", i, "password"], "value": u.password, "what": sprintf("the password of user %s", [shown(u.username)])} if {
	some address, r in tf.resources("aws_mq_broker")
	some i, u in tf.blocks(r.values, "user")
	is_object(u)
	tf.has_key(u, "password")
}

settings contains {"address": address, "at": ["advanced_security_options", i, "master_user_options", j, "master_user_password"], "value": m.master_user_password, "what": "its master_user_password"} if {
	some address, r in tf.resources("aws_opensearch_domain")
	some i, o in tf.blocks(r.values, "advanced_security_options")
	is_object(o)
	some j, m in tf.blocks(o, "master_user_options")
	is_object(m)
	tf.has_key(m, "master_user_password")
}

shown(v) := sprintf("%q", [v]) if is_string(v)

shown(v) := "(unnamed)" if not is_string(v)

literal(v) if {
	is_string(v)
	trim_space(v) != ""
}

deny contains {"msg": msg, "label": "password in code", "path": tf.path(s.address, s.at)} if {
	configuration
	some s in settings
	literal(s.value)
	msg := sprintf("%s has %s written in the configuration: everyone who can read the code, its history or the CI logs knows it", [s.address, s.what])
}

# Checks that depend on a value known only after apply.

# An expression known only after apply that falls back to a literal string:
# a conditional's branch, or the last argument of coalesce, try or lookup.
fallback_pattern := `(\?\s*"[^"$\n]+"|:\s*"[^"$\n]+"\s*\)*\s*$|\b(coalesce|try|lookup)\s*\(.*,\s*"[^"$\n]+"\s*\))`

undecided contains {"msg": msg, "path": tf.path(s.address, s.at)} if {
	configuration
	some s in settings
	tf.is_unknown(s.value)
	is_string(s.value.__unknown__)
	regex.match(fallback_pattern, s.value.__unknown__)
	msg := sprintf("%s may use a password written in the configuration: %s falls back to a literal when a value known only after apply is missing", [s.address, s.what])
}

# A resource the rule fails anyway has nothing left to decide.
failed := {d.path[1] | some d in deny}

inconclusive contains c if {
	some c in undecided
	not c.path[1] in failed
}
