# METADATA
# title: VPC subnet has no flow logs
# description: >-
#   Without VPC Flow Logs there is no record of which addresses talked to
#   which inside a subnet or across its boundary: port scans, connections to
#   known bad hosts, data exfiltration and lateral movement leave no trace, and
#   an incident cannot be scoped afterwards. Flow logs are configured per
#   subnet, with a `log_config` block, and are off when it is absent. ISO/IEC
#   27002 10.10.2 asks for procedures to monitor the use of information
#   processing facilities, and network flow records are the basic input of
#   that monitoring. A `log_config` with `flow_sampling = 0` records nothing
#   and is flagged too. Proxy-only, Private Service Connect and Private NAT
#   subnets (`purpose` other than `PRIVATE`) carry no VM traffic and are not
#   examined; subnets created by an auto-mode network are reported by
#   CL-GCP-015. A purpose or log configuration known only after apply makes the
#   check inconclusive.
# custom:
#   id: CL-GCP-011
#   severity: medium
#   targets: [terraform]
#   provider: google
#   controls:
#     iso27002:2005: ["10.10.2"]
#     iso27002:2022: ["8.16"]
#   remediation: >-
#     Add `log_config { aggregation_interval = "INTERVAL_5_SEC", flow_sampling
#     = 0.5, metadata = "INCLUDE_ALL_METADATA" }` to the
#     `google_compute_subnetwork` (raise `flow_sampling` to 1.0 where complete
#     records are required).
#   applies_to: [google_compute_subnetwork]
package clause.rules.terraform.google.subnet_flow_logs_disabled

import data.clause.lib.terraform as tf
import rego.v1

vm_purposes := {"PRIVATE", "PRIVATE_RFC_1918"}

carries_vm_traffic(values) if tf.missing(values, "purpose")

carries_vm_traffic(values) if values.purpose in vm_purposes

log_configs(values) := [c | some c in tf.blocks(values, "log_config"); is_object(c)]

logged(values) if count(log_configs(values)) > 0

logged(values) if tf.is_true(values.enable_flow_logs)

log_config_unknown(values) if tf.is_unknown(values.log_config)

log_config_unknown(values) if {
	some c in tf.blocks(values, "log_config")
	tf.is_unknown(c)
}

deny contains {"msg": msg, "label": "no flow logs", "path": tf.resource_path(address)} if {
	some address, subnet in tf.resources("google_compute_subnetwork")
	carries_vm_traffic(subnet.values)
	not logged(subnet.values)
	not log_config_unknown(subnet.values)
	msg := sprintf("%s has no flow logs: it has no log_config block, so its traffic is not recorded", [address])
}

deny contains {"msg": msg, "label": "samples nothing", "path": tf.path(address, ["log_config", i, "flow_sampling"])} if {
	some address, subnet in tf.resources("google_compute_subnetwork")
	carries_vm_traffic(subnet.values)
	some i, c in tf.blocks(subnet.values, "log_config")
	c.flow_sampling == 0
	msg := sprintf("%s records no flows (log_config.flow_sampling = 0)", [address])
}

# Checks that depend on a value known only after apply.
inconclusive contains {"msg": msg, "path": tf.path(address, ["purpose"])} if {
	some address, subnet in tf.resources("google_compute_subnetwork")
	tf.is_unknown(subnet.values.purpose)
	not logged(subnet.values)
	msg := sprintf("%s may have no flow logs: it has no log_config block, and whether it carries VM traffic depends on purpose = %s, which is known only after apply", [address, subnet.values.purpose.__unknown__])
}

inconclusive contains {"msg": msg, "path": tf.path(address, ["log_config"])} if {
	some address, subnet in tf.resources("google_compute_subnetwork")
	carries_vm_traffic(subnet.values)
	not logged(subnet.values)
	log_config_unknown(subnet.values)
	msg := sprintf("%s may have no flow logs: its log_config is known only after apply", [address])
}

inconclusive contains {"msg": msg, "path": tf.path(address, ["log_config", i, "flow_sampling"])} if {
	some address, subnet in tf.resources("google_compute_subnetwork")
	carries_vm_traffic(subnet.values)
	some i, c in tf.blocks(subnet.values, "log_config")
	tf.is_unknown(c.flow_sampling)
	msg := sprintf("%s may record no flows: flow_sampling = %s is known only after apply", [address, c.flow_sampling.__unknown__])
}
