# METADATA
# title: EKS cluster runs a Kubernetes version AWS no longer supports
# description: >-
#   Amazon EKS supports each Kubernetes minor version for 14 months of
#   standard support and 12 more of extended support; after that the version
#   gets no security patches for the control plane, its AMIs and add-ons, and
#   EKS upgrades the cluster on its own schedule, so a configuration that
#   still names the old version no longer describes what runs (and cannot
#   create a new cluster). Kubernetes CVEs (API server, kubelet, container
#   runtime) are then fixed only in versions this cluster does not run.
#   ISO/IEC 27002 12.6.1 asks that exposure to technical vulnerabilities be
#   evaluated and addressed in a timely way, which requires running software
#   its vendor still patches. Support table used, as of 2026-11-29: 1.31 and
#   older are past the end of extended support (1.31 ended 2026-11-26); 1.32
#   (until 2027-03-23) and 1.33 (until 2027-07-29) are in paid extended
#   support; 1.34 (standard support until 2026-12-02) and 1.35 are in
#   standard support. So `version` below 1.32 on an `aws_eks_cluster` or an
#   `aws_eks_node_group` is flagged; update the table as EKS publishes new
#   dates. A cluster without `version` gets the current default and is not
#   flagged; a version known only after apply is reported as inconclusive.
# custom:
#   id: CL-AWS-037
#   severity: medium
#   targets: [terraform]
#   provider: aws
#   controls:
#     iso27002:2005: ["12.6.1"]
#     iso27002:2022: ["8.8"]
#   remediation: >-
#     Upgrade one minor version at a time (control plane first, then node
#     groups and add-ons) to a version in standard support, at least 1.34, and
#     set `version` accordingly; keep `upgrade_policy { support_type =
#     "STANDARD" }` if you prefer clusters to be upgraded rather than billed for
#     extended support.
#   applies_to: [aws_eks_cluster, aws_eks_node_group]
package clause.rules.terraform.aws.eks_version_unsupported

import data.clause.lib.terraform as tf
import rego.v1

# The oldest Kubernetes minor version EKS still supports (extended support),
# as of 2026-11-29.
oldest_supported := [1, 32]

types := ["aws_eks_cluster", "aws_eks_node_group"]

# minor(v): [major, minor] of a version such as "1.30" or "1.30.2".
minor(v) := [to_number(m[1]), to_number(m[2])] if {
	is_string(v)
	m := regex.find_all_string_submatch_n(`^v?([0-9]+)\.([0-9]+)`, v, 1)[0]
}

# A version written as a number (`version = 1.30`) reaches AWS as its
# string form.
minor(v) := minor(format_int(v, 10)) if {
	is_number(v)
	v == floor(v)
}

minor(v) := [to_number(parts[0]), to_number(parts[1])] if {
	is_number(v)
	v != floor(v)
	parts := split(sprintf("%v", [v]), ".")
	count(parts) == 2
}

unsupported(m) if m[0] < oldest_supported[0]

unsupported(m) if {
	m[0] == oldest_supported[0]
	m[1] < oldest_supported[1]
}

deny contains {"msg": msg, "label": "unsupported version", "path": tf.path(address, ["version"])} if {
	some type in types
	some address, r in tf.resources(type)
	m := minor(r.values.version)
	unsupported(m)
	msg := sprintf("%s runs Kubernetes %d.%d, past the end of EKS extended support: it receives no security patches (the oldest supported version is %d.%d)", [address, m[0], m[1], oldest_supported[0], oldest_supported[1]])
}

# Checks that depend on a value known only after apply.
undecided contains {"msg": msg, "path": tf.path(address, ["version"])} if {
	some type in types
	some address, r in tf.resources(type)
	v := r.values.version
	tf.is_unknown(v)
	msg := sprintf("%s may run a Kubernetes version EKS no longer supports: version = %v is known only after apply", [address, v.__unknown__])
}

# A resource the rule fails anyway has nothing left to decide.
failed := {d.path[1] | some d in deny}

inconclusive contains c if {
	some c in undecided
	not c.path[1] in failed
}
