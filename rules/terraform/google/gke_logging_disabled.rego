# METADATA
# title: GKE cluster sends no logs to Cloud Logging
# description: >-
#   With `logging_service = "none"`, or a `logging_config` whose
#   `enable_components` is empty, a GKE cluster stops sending its system
#   component logs (kubelet, container runtime, node journal, and the API
#   server, scheduler and controller manager when enabled) and its workload
#   logs to Cloud Logging. Nothing then records what the control plane and the
#   nodes did on the operators' instructions, why a pod was started, killed or
#   rescheduled, or what a compromised container printed, and the evidence
#   disappears with the node. ISO/IEC 27002 10.10.1 asks for logs of
#   activities and security events kept for investigations, and 10.10.4 asks
#   that the activities of system administrators and operators be logged;
#   Kubernetes audit logs still reach Cloud Audit Logs, but the system logs
#   that show what those actions did are gone. Clusters that keep the default
#   (system components and workloads) are not flagged. A setting known only
#   after apply makes the check inconclusive.
# custom:
#   id: CL-GCP-012
#   severity: medium
#   targets: [terraform]
#   provider: google
#   controls:
#     iso27002:2005: ["10.10.1", "10.10.4"]
#     iso27002:2022: ["8.15"]
#   remediation: >-
#     Remove `logging_service = "none"` (or set it to
#     `"logging.googleapis.com/kubernetes"`) and use `logging_config {
#     enable_components = ["SYSTEM_COMPONENTS", "WORKLOADS", "APISERVER"] }`;
#     filter noisy logs with exclusion filters on the log router instead.
#   applies_to: [google_container_cluster]
package clause.rules.terraform.google.gke_logging_disabled

import data.clause.lib.terraform as tf
import rego.v1

deny contains {"msg": msg, "label": "logging off", "path": tf.path(address, ["logging_service"])} if {
	some address, cluster in tf.resources("google_container_cluster")
	cluster.values.logging_service == "none"
	msg := sprintf("%s sends no logs to Cloud Logging (logging_service = \"none\")", [address])
}

deny contains {"msg": msg, "label": "logging off", "path": tf.path(address, ["logging_config", i, "enable_components"])} if {
	some address, cluster in tf.resources("google_container_cluster")
	some i, c in tf.blocks(cluster.values, "logging_config")
	c.enable_components == []
	msg := sprintf("%s sends no logs to Cloud Logging (logging_config.enable_components = [])", [address])
}

# Checks that depend on a value known only after apply.
inconclusive contains {"msg": msg, "path": tf.path(address, ["logging_service"])} if {
	some address, cluster in tf.resources("google_container_cluster")
	tf.is_unknown(cluster.values.logging_service)
	msg := sprintf("%s may send no logs to Cloud Logging: logging_service = %s is known only after apply", [address, cluster.values.logging_service.__unknown__])
}

inconclusive contains {"msg": msg, "path": tf.path(address, ["logging_config", i, "enable_components"])} if {
	some address, cluster in tf.resources("google_container_cluster")
	some i, c in tf.blocks(cluster.values, "logging_config")
	tf.is_unknown(c.enable_components)
	msg := sprintf("%s may send no logs to Cloud Logging: enable_components = %s is known only after apply", [address, c.enable_components.__unknown__])
}
