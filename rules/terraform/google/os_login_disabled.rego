# METADATA
# title: OS Login is turned off for VMs or for the project
# description: >-
#   Without OS Login, SSH access to Linux VMs is managed by writing public keys
#   into instance or project metadata: the keys are not tied to a Google
#   identity, survive the departure of their owner, bypass 2-step
#   verification and IAM conditions, and anyone who may edit metadata can add
#   their own. OS Login ties every SSH log-on to an IAM principal and its
#   roles (`roles/compute.osLogin`, `osAdminLogin`), can require 2-step
#   verification, and is revoked with the principal. ISO/IEC 27002 11.5.1
#   asks that access to systems be controlled by a secure log-on procedure,
#   which keys scattered in metadata are not. The rule flags instances and
#   templates whose `metadata` sets `enable-oslogin` to false (instance
#   metadata overrides the project's), a `google_compute_project_metadata_item`
#   that sets it to false, and a `google_compute_project_metadata` (which
#   replaces all project metadata) that does not set it to true. Windows
#   images, where OS Login does not apply, are skipped, and nothing is flagged
#   when the module enforces the `compute.requireOsLogin` organization
#   policy. Metadata known only after apply makes the check inconclusive.
# custom:
#   id: CL-GCP-017
#   severity: medium
#   targets: [terraform]
#   provider: google
#   controls:
#     iso27002:2005: ["11.5.1"]
#     iso27002:2022: ["8.5"]
#   remediation: >-
#     Set `enable-oslogin = "TRUE"` in the project metadata
#     (`google_compute_project_metadata_item` with `key = "enable-oslogin"`
#     and `value = "TRUE"`), remove `enable-oslogin = "FALSE"` from instance
#     metadata, grant `roles/compute.osLogin` to the people who need SSH, and
#     enforce the `compute.requireOsLogin` organization policy.
#   applies_to: [google_compute_instance, google_compute_instance_template, google_compute_region_instance_template, google_compute_project_metadata, google_compute_project_metadata_item]
package clause.rules.terraform.google.os_login_disabled

import data.clause.lib.google as gcp
import data.clause.lib.terraform as tf
import rego.v1

key := "enable-oslogin"

vm_types := ["google_compute_instance", "google_compute_instance_template", "google_compute_region_instance_template"]

required if not gcp.enforced_constraint("compute.requireOsLogin")

# Windows images: OS Login does not apply.
windows(values) if {
	some d in tf.blocks(values, "boot_disk")
	some p in tf.blocks(d, "initialize_params")
	is_string(p.image)
	contains(lower(p.image), "windows")
}

windows(values) if {
	some d in tf.blocks(values, "disk")
	is_string(d.source_image)
	contains(lower(d.source_image), "windows")
}

shown(v) := sprintf("%q", [v]) if is_string(v)

shown(v) := sprintf("%v", [v]) if not is_string(v)

deny contains {"msg": msg, "label": "OS Login off", "path": tf.path(address, ["metadata", key])} if {
	required
	some type in vm_types
	some address, vm in tf.resources(type)
	not windows(vm.values)
	v := gcp.metadata(vm.values)[key]
	gcp.falsy(v)
	msg := sprintf("%s turns OS Login off (metadata %s = %s), so SSH keys in metadata grant access to it", [address, key, shown(v)])
}

deny contains {"msg": msg, "label": "OS Login off", "path": tf.path(address, ["value"])} if {
	required
	some address, item in tf.resources("google_compute_project_metadata_item")
	item.values.key == key
	gcp.falsy(item.values.value)
	msg := sprintf("%s turns OS Login off for the project (%s = %s)", [address, key, shown(item.values.value)])
}

deny contains {"msg": msg, "label": "OS Login off", "path": tf.path(address, ["metadata", key])} if {
	required
	some address, md in tf.resources("google_compute_project_metadata")
	v := gcp.metadata(md.values)[key]
	not gcp.truthy(v)
	not tf.is_unknown(v)
	msg := sprintf("%s turns OS Login off for the project (%s = %s)", [address, key, shown(v)])
}

deny contains {"msg": msg, "label": "OS Login off", "path": tf.path(address, ["metadata"])} if {
	required
	some address, md in tf.resources("google_compute_project_metadata")
	is_object(md.values.metadata)
	not tf.is_unknown(md.values.metadata)
	not tf.has_key(md.values.metadata, key)
	msg := sprintf("%s replaces the project metadata without %s = \"TRUE\", so OS Login is off for every VM that does not turn it on itself", [address, key])
}

# Checks that depend on a value known only after apply.
inconclusive contains {"msg": msg, "path": tf.path(address, ["metadata", key])} if {
	required
	some type in vm_types
	some address, vm in tf.resources(type)
	not windows(vm.values)
	v := gcp.metadata(vm.values)[key]
	tf.is_unknown(v)
	msg := sprintf("%s may turn OS Login off: metadata %s = %s is known only after apply", [address, key, v.__unknown__])
}

inconclusive contains {"msg": msg, "path": tf.path(address, ["metadata"])} if {
	required
	some type in array.concat(vm_types, ["google_compute_project_metadata"])
	some address, r in tf.resources(type)
	tf.is_unknown(r.values.metadata)
	msg := sprintf("%s may turn OS Login off: its metadata %s is known only after apply", [address, r.values.metadata.__unknown__])
}

inconclusive contains {"msg": msg, "path": tf.path(address, ["metadata", key])} if {
	required
	some address, md in tf.resources("google_compute_project_metadata")
	v := gcp.metadata(md.values)[key]
	tf.is_unknown(v)
	msg := sprintf("%s may turn OS Login off for the project: %s = %s is known only after apply", [address, key, v.__unknown__])
}

inconclusive contains {"msg": msg, "path": tf.path(address, [k])} if {
	required
	some address, item in tf.resources("google_compute_project_metadata_item")
	may_be_key(item.values.key)
	some k in ["key", "value"]
	tf.is_unknown(item.values[k])
	not gcp.truthy(item.values.value)
	msg := sprintf("%s may turn OS Login off for the project: %s = %s is known only after apply", [address, k, item.values[k].__unknown__])
}

may_be_key(k) if k == key

may_be_key(k) if tf.is_unknown(k)
