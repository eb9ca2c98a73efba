# METADATA
# title: Interactive serial console access is enabled
# description: >-
#   `serial-port-enable` lets anyone with the right IAM permission connect to a
#   VM's interactive serial console through Google's ssh-serialport gateway,
#   from any address: the connection ignores VPC firewall rules, reaches the
#   VM even when networking is broken, and lands on a console where a local
#   password (or a misconfigured getty) gives an operating-system session,
#   including single-user and boot-loader access. ISO/IEC 27002 11.5.4 asks
#   that utility programs capable of overriding system and application
#   controls be restricted and tightly controlled; the serial console is such
#   a facility and should stay off except for the duration of a recovery. The
#   rule flags instances and templates whose `metadata` sets
#   `serial-port-enable` to true (`"TRUE"`, `"true"`, `"1"`), and project
#   metadata (`google_compute_project_metadata` or a
#   `google_compute_project_metadata_item`) that does so for every VM.
#   Nothing is flagged when the module enforces the
#   `compute.disableSerialPortAccess` organization policy. Metadata known
#   only after apply makes the check inconclusive.
# custom:
#   id: CL-GCP-019
#   severity: medium
#   targets: [terraform]
#   provider: google
#   controls:
#     iso27002:2005: ["11.5.4"]
#     iso27002:2022: ["8.18"]
#   remediation: >-
#     Remove `serial-port-enable` from instance and project metadata (or set
#     it to `"FALSE"`); read boot output with `serial-port-logging-enable` or
#     `gcloud compute instances get-serial-port-output` instead, enable the
#     interactive console only during an incident, and enforce the
#     `compute.disableSerialPortAccess` organization policy.
#   applies_to: [google_compute_instance, google_compute_instance_template, google_compute_region_instance_template, google_compute_project_metadata, google_compute_project_metadata_item]
package clause.rules.terraform.google.serial_port_access_enabled

import data.clause.lib.google as gcp
import data.clause.lib.terraform as tf
import rego.v1

key := "serial-port-enable"

vm_types := ["google_compute_instance", "google_compute_instance_template", "google_compute_region_instance_template"]

allowed if not gcp.enforced_constraint("compute.disableSerialPortAccess")

shown(v) := sprintf("%q", [v]) if is_string(v)

shown(v) := sprintf("%v", [v]) if not is_string(v)

deny contains {"msg": msg, "label": "serial console on", "path": tf.path(address, ["metadata", key])} if {
	allowed
	some type in vm_types
	some address, vm in tf.resources(type)
	v := gcp.metadata(vm.values)[key]
	gcp.truthy(v)
	msg := sprintf("%s enables interactive serial console access (metadata %s = %s)", [address, key, shown(v)])
}

deny contains {"msg": msg, "label": "serial console on", "path": tf.path(address, ["metadata", key])} if {
	allowed
	some address, md in tf.resources("google_compute_project_metadata")
	v := gcp.metadata(md.values)[key]
	gcp.truthy(v)
	msg := sprintf("%s enables interactive serial console access for every VM of the project that does not turn it off itself (%s = %s)", [address, key, shown(v)])
}

deny contains {"msg": msg, "label": "serial console on", "path": tf.path(address, ["value"])} if {
	allowed
	some address, item in tf.resources("google_compute_project_metadata_item")
	item.values.key == key
	gcp.truthy(item.values.value)
	msg := sprintf("%s enables interactive serial console access for every VM of the project that does not turn it off itself (%s = %s)", [address, key, shown(item.values.value)])
}

# Checks that depend on a value known only after apply.
inconclusive contains {"msg": msg, "path": tf.path(address, ["metadata", key])} if {
	allowed
	some type in array.concat(vm_types, ["google_compute_project_metadata"])
	some address, r in tf.resources(type)
	v := gcp.metadata(r.values)[key]
	tf.is_unknown(v)
	msg := sprintf("%s may enable interactive serial console access: %s = %s is known only after apply", [address, key, v.__unknown__])
}

inconclusive contains {"msg": msg, "path": tf.path(address, ["metadata"])} if {
	allowed
	some type in array.concat(vm_types, ["google_compute_project_metadata"])
	some address, r in tf.resources(type)
	tf.is_unknown(r.values.metadata)
	msg := sprintf("%s may enable interactive serial console access: its metadata %s is known only after apply", [address, r.values.metadata.__unknown__])
}

inconclusive contains {"msg": msg, "path": tf.path(address, [k])} if {
	allowed
	some address, item in tf.resources("google_compute_project_metadata_item")
	may_be_key(item.values.key)
	not gcp.falsy(item.values.value)
	some k in ["key", "value"]
	tf.is_unknown(item.values[k])
	msg := sprintf("%s may enable interactive serial console access: %s = %s is known only after apply", [address, k, item.values[k].__unknown__])
}

may_be_key(k) if k == key

may_be_key(k) if tf.is_unknown(k)
