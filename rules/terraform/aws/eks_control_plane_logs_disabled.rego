# METADATA
# title: EKS cluster does not log control plane API, audit and authenticator activity
# description: >-
#   The Kubernetes API server of an EKS cluster is where administrators and
#   automation create workloads, read secrets, change RBAC and exec into
#   pods. EKS sends the control plane's logs to CloudWatch only for the types
#   listed in `enabled_cluster_log_types`, and none by default: without
#   `audit` there is no record of who did what to which object, without
#   `authenticator` no record of which IAM identity each Kubernetes user was,
#   and without `api` no record of the API server's own view of requests. An
#   intrusion through a stolen kubeconfig, or an administrator's mistake, then
#   leaves no trace. ISO/IEC 27002 10.10.4 asks that the activities of system
#   administrators and operators be logged; these three log types are that
#   log for a Kubernetes control plane. When the list, or one of its entries,
#   is known only after apply, the check is reported as inconclusive.
# custom:
#   id: CL-AWS-023
#   severity: medium
#   targets: [terraform]
#   provider: aws
#   controls:
#     iso27002:2005: ["10.10.4"]
#     iso27002:2022: ["8.15"]
#   remediation: >-
#     Set `enabled_cluster_log_types = ["api", "audit", "authenticator",
#     "controllerManager", "scheduler"]` (at least `api`, `audit` and
#     `authenticator`) on the `aws_eks_cluster`, and create the
#     `/aws/eks/<cluster>/cluster` CloudWatch log group with the retention your
#     policy requires.
#   applies_to: [aws_eks_cluster]
package clause.rules.terraform.aws.eks_control_plane_logs_disabled

import data.clause.lib.terraform as tf
import rego.v1

required := ["api", "audit", "authenticator"]

written(values) := tf.list(values.enabled_cluster_log_types)

missing_types(values) := [t |
	some t in required
	not t in written(values)
]

has_unknown_entry(values) if {
	some t in written(values)
	tf.is_unknown(t)
}

decided(values) if {
	not tf.is_unknown(values.enabled_cluster_log_types)
	not has_unknown_entry(values)
}

deny contains {"msg": msg, "label": "admin activity not logged", "path": tf.path(address, ["enabled_cluster_log_types"])} if {
	some address, cluster in tf.resources("aws_eks_cluster")
	decided(cluster.values)
	tf.has_key(cluster.values, "enabled_cluster_log_types")
	cluster.values.enabled_cluster_log_types != null
	missing := missing_types(cluster.values)
	count(missing) > 0
	msg := sprintf("%s keeps no %s logs of its control plane: enabled_cluster_log_types does not list %s", [address, either(missing), either(quoted(missing))])
}

deny contains {"msg": msg, "label": "admin activity not logged", "path": path} if {
	some address, cluster in tf.resources("aws_eks_cluster")
	tf.missing(cluster.values, "enabled_cluster_log_types")
	path := missing_path(address, cluster.values)
	msg := sprintf("%s keeps no logs of its control plane: enabled_cluster_log_types is %s, so no api, audit or authenticator logs are kept", [address, absence(cluster.values)])
}

absence(values) := "null" if tf.has_key(values, "enabled_cluster_log_types")

absence(values) := "not set" if not tf.has_key(values, "enabled_cluster_log_types")

quoted(names) := [sprintf("%q", [n]) | some n in names]

# either(names): "a", "a or b", "a, b or c".
either(names) := names[0] if count(names) == 1

either(names) := sprintf("%s or %s", [concat(", ", array.slice(names, 0, count(names) - 1)), names[count(names) - 1]]) if count(names) > 1

missing_path(address, values) := tf.path(address, ["enabled_cluster_log_types"]) if tf.has_key(values, "enabled_cluster_log_types")

missing_path(address, values) := tf.resource_path(address) if not tf.has_key(values, "enabled_cluster_log_types")

# Checks that depend on a value known only after apply.

undecided contains {"msg": msg, "path": tf.path(address, ["enabled_cluster_log_types"])} if {
	some address, cluster in tf.resources("aws_eks_cluster")
	v := cluster.values.enabled_cluster_log_types
	tf.is_unknown(v)
	msg := sprintf("%s may not log control plane activity: enabled_cluster_log_types = %v is known only after apply", [address, v.__unknown__])
}

undecided contains {"msg": msg, "path": tf.path(address, ["enabled_cluster_log_types"])} if {
	some address, cluster in tf.resources("aws_eks_cluster")
	has_unknown_entry(cluster.values)
	missing := missing_types(cluster.values)
	count(missing) > 0
	msg := sprintf("%s may keep no %s logs of its control plane: enabled_cluster_log_types has entries known only after apply", [address, either(missing)])
}

# A resource the rule fails anyway has nothing left to decide.
failed := {d.path[1] | some d in deny}

inconclusive contains c if {
	some c in undecided
	not c.path[1] in failed
}
