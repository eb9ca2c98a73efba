# METADATA
# title: Storage container allows anonymous public read access
# description: >-
#   A blob container with `container_access_type = "blob"` lets anyone on the
#   internet read every blob whose name they know or guess, without any
#   credential; `"container"` additionally lets them list the container's
#   contents. Anonymous reads leave no identity in the logs, and data put in
#   such a container later (backups, exports, logs) becomes public with it.
#   ISO/IEC 27002 11.6.1 asks that access to information be restricted in
#   accordance with the access control policy, which anonymous access
#   bypasses entirely. Public access also requires the account to allow it
#   (CL-AZR-015); the container is flagged whatever the account says, because
#   it declares the intent and becomes public as soon as the account allows
#   it. Containers meant to serve a public website belong in the `$web`
#   container of a static website or behind a CDN, not in a public container.
#   An access type known only after apply is reported as an inconclusive
#   check.
# custom:
#   id: CL-AZR-014
#   severity: high
#   targets: [terraform]
#   provider: azure
#   controls:
#     iso27002:2005: ["11.6.1"]
#     iso27002:2022: ["8.3"]
#   remediation: >-
#     Set `container_access_type = "private"` (the default) and give readers
#     access through Microsoft Entra ID roles (Storage Blob Data Reader) or
#     short-lived user delegation SAS tokens.
#   applies_to: [azurerm_storage_container]
package clause.rules.terraform.azure.storage_container_public_access

import data.clause.lib.azure as az
import data.clause.lib.terraform as tf
import rego.v1

what := {"blob": "anyone can read its blobs", "container": "anyone can list and read its blobs"}

deny contains {"msg": msg, "label": "public", "path": tf.path(address, ["container_access_type"])} if {
	some address, c in tf.resources("azurerm_storage_container")
	text := what[az.lower_text(c.values.container_access_type)]
	msg := sprintf("%s allows anonymous public access (container_access_type = %q): %s without credentials", [address, c.values.container_access_type, text])
}

undecided contains {"msg": msg, "path": tf.path(address, ["container_access_type"])} if {
	some address, c in tf.resources("azurerm_storage_container")
	tf.is_unknown(c.values.container_access_type)
	msg := sprintf("%s may allow anonymous public access: %s", [address, az.unknown_text("container_access_type", c.values.container_access_type)])
}

# A resource the rule fails anyway has nothing left to decide.
failed := {d.path[1] | some d in deny}

inconclusive contains c if {
	some c in undecided
	not c.path[1] in failed
}
