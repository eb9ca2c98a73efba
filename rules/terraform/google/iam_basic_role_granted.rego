# METADATA
# title: Basic role Owner or Editor granted on a project, folder or organisation
# description: >-
#   The basic roles `roles/owner` and `roles/editor` predate Cloud IAM and
#   grant thousands of permissions across every service of the project (or of
#   every project under a folder or organisation): Editor can read and change
#   almost all data and configuration, create service account keys and deploy
#   code; Owner can also change IAM itself. A principal that holds one, and in
#   particular a service account whose key or workload can be stolen, turns a
#   single compromise into control of everything in scope. ISO/IEC 27002
#   11.2.2 asks that privileges be allocated on a need-to-use basis and kept
#   to the minimum needed for the role, which predefined or custom roles scoped
#   to the services in use allow and basic roles do not. The rule reads
#   `google_project_iam_member`, `_binding` and `_policy` (JSON or a
#   `data.google_iam_policy`) and their folder and organisation equivalents;
#   every member holding the role is reported. A role known only after apply
#   makes the check inconclusive.
# custom:
#   id: CL-GCP-013
#   severity: high
#   targets: [terraform]
#   provider: google
#   controls:
#     iso27002:2005: ["11.2.2"]
#     iso27002:2022: ["8.2"]
#   remediation: >-
#     Replace `roles/owner` and `roles/editor` with the predefined roles the
#     principal needs (for example `roles/compute.instanceAdmin.v1`,
#     `roles/storage.objectAdmin`) or a custom role; keep Owner for a
#     break-glass group, granted through a just-in-time process rather than in
#     Terraform.
#   applies_to: [google_project_iam_member, google_project_iam_binding, google_project_iam_policy, google_folder_iam_member, google_folder_iam_binding, google_folder_iam_policy, google_organization_iam_member, google_organization_iam_binding, google_organization_iam_policy]
package clause.rules.terraform.google.iam_basic_role_granted

import data.clause.lib.google as gcp
import data.clause.lib.terraform as tf
import rego.v1

basic_roles := {"roles/owner": "Owner", "roles/editor": "Editor"}

families := ["google_project_iam", "google_folder_iam", "google_organization_iam"]

scope := {"google_project_iam": "project", "google_folder_iam": "folder", "google_organization_iam": "organisation"}

grants contains object.union(g, {"family": family}) if {
	some family in families
	some g in gcp.grants(family)
}

who(m) := m if is_string(m)

who(m) := m.__unknown__ if tf.is_unknown(m)

who(m) := "a member" if {
	not is_string(m)
	not tf.is_unknown(m)
}

holder(g) := sprintf("%s (in %s)", [g.address, g.source]) if g.source

holder(g) := g.address if not g.source

deny contains {"msg": msg, "label": "basic role", "path": g.path} if {
	some g in grants
	name := basic_roles[g.role]
	msg := sprintf("%s grants the basic %s role (%s) on the %s to %s", [holder(g), name, g.role, scope[g.family], who(g.member)])
}

# Checks that depend on a value known only after apply.
inconclusive contains {"msg": msg, "path": g.role_path} if {
	some g in grants
	tf.is_unknown(g.role)
	msg := sprintf("%s may grant a basic role to %s: role = %s is known only after apply", [holder(g), who(g.member), g.role.__unknown__])
}
