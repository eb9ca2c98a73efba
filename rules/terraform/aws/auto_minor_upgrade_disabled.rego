# METADATA
# title: Managed database or cache does not apply minor version upgrades
# description: >-
#   Minor engine versions of managed databases, caches and brokers carry the
#   security fixes for the engine (PostgreSQL, MySQL, Redis, ActiveMQ...).
#   With automatic minor version upgrades turned off, AWS never applies them
#   in the maintenance window, and the service keeps running a version with
#   published vulnerabilities until someone upgrades it by hand; in practice
#   that is often when the version reaches end of life. ISO/IEC 27002 12.6.1
#   asks that exposure to technical vulnerabilities be evaluated and
#   addressed in a timely way, and automatic patching is how a managed
#   service does it. Examined: `auto_minor_version_upgrade` of RDS and Aurora
#   instances, Multi-AZ DB clusters, DocumentDB and Neptune instances,
#   ElastiCache clusters and replication groups, MemoryDB clusters, DMS
#   replication instances and Amazon MQ brokers, and `allow_version_upgrade`
#   of Redshift clusters. Only an explicit false is flagged (most of these
#   default to true); RDS Custom engines, which require it off, are not.
#   A value known only after apply is reported as an inconclusive check.
# custom:
#   id: CL-AWS-036
#   severity: medium
#   targets: [terraform]
#   provider: aws
#   controls:
#     iso27002:2005: ["12.6.1"]
#     iso27002:2022: ["8.8"]
#   remediation: >-
#     Set `auto_minor_version_upgrade = true` (`allow_version_upgrade = true`
#     for Redshift) and choose a `maintenance_window` (`preferred_maintenance_window`
#     for clusters) that suits the service; test new minor versions in a
#     staging environment first if you need to, but do not leave production
#     unpatched.
#   applies_to: [aws_db_instance, aws_rds_cluster_instance, aws_rds_cluster, aws_docdb_cluster_instance, aws_neptune_cluster_instance, aws_elasticache_cluster, aws_elasticache_replication_group, aws_memorydb_cluster, aws_dms_replication_instance, aws_mq_broker, aws_redshift_cluster]
package clause.rules.terraform.aws.auto_minor_upgrade_disabled

import data.clause.lib.terraform as tf
import rego.v1

upgrade_keys := {
	"aws_db_instance": "auto_minor_version_upgrade",
	"aws_rds_cluster_instance": "auto_minor_version_upgrade",
	"aws_rds_cluster": "auto_minor_version_upgrade",
	"aws_docdb_cluster_instance": "auto_minor_version_upgrade",
	"aws_neptune_cluster_instance": "auto_minor_version_upgrade",
	"aws_elasticache_cluster": "auto_minor_version_upgrade",
	"aws_elasticache_replication_group": "auto_minor_version_upgrade",
	"aws_memorydb_cluster": "auto_minor_version_upgrade",
	"aws_dms_replication_instance": "auto_minor_version_upgrade",
	"aws_mq_broker": "auto_minor_version_upgrade",
	"aws_redshift_cluster": "allow_version_upgrade",
}

# RDS Custom requires automatic minor version upgrades to be off.
exempt(values) if {
	is_string(values.engine)
	startswith(lower(values.engine), "custom-")
}

deny contains {"msg": msg, "label": "no automatic patching", "path": tf.path(address, [key])} if {
	some type, key in upgrade_keys
	some address, r in tf.resources(type)
	not exempt(r.values)
	tf.is_false(r.values[key])
	msg := sprintf("%s is not upgraded automatically to new minor engine versions, which carry its security fixes (%s = %v)", [address, key, r.values[key]])
}

# Checks that depend on a value known only after apply.
undecided contains {"msg": msg, "path": tf.path(address, [key])} if {
	some type, key in upgrade_keys
	some address, r in tf.resources(type)
	not exempt(r.values)
	v := r.values[key]
	tf.is_unknown(v)
	msg := sprintf("%s may not be upgraded automatically to new minor engine versions: %s = %v is known only after apply", [address, key, v.__unknown__])
}

# A resource the rule fails anyway has nothing left to decide.
failed := {d.path[1] | some d in deny}

inconclusive contains c if {
	some c in undecided
	not c.path[1] in failed
}
