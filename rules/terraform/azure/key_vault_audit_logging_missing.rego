# METADATA
# title: Key Vault access is not audit-logged
# description: >-
#   A Key Vault's AuditEvent log is the only record of who read, created,
#   changed or deleted its keys, secrets and certificates, and of the
#   requests that were refused. Azure keeps it only when a diagnostic setting
#   sends it to a Log Analytics workspace, a storage account or an event hub;
#   without one, the use of the organisation's most sensitive credentials
#   leaves no trace, and a leaked secret or a mass export cannot be detected or
#   investigated. ISO/IEC 27002 10.10.1 asks for audit logs recording user
#   activities and information security events, kept for an agreed period. A
#   vault counts as logged when an azurerm_monitor_diagnostic_setting of the
#   module refers to it in `target_resource_id` and enables the `AuditEvent`
#   category or the `audit` or `allLogs` category group, in an `enabled_log`
#   block or (older providers) a `log` block that is not disabled.
#   Diagnostic settings deployed outside Terraform (for example by an Azure
#   Policy `DeployIfNotExists` assignment) are not visible to clause; when a
#   diagnostic setting of the module names its target or its categories in a
#   way clause cannot resolve, the check is reported as inconclusive.
# custom:
#   id: CL-AZR-008
#   severity: medium
#   targets: [terraform]
#   provider: azure
#   controls:
#     iso27002:2005: ["10.10.1"]
#     iso27002:2022: ["8.15"]
#   remediation: >-
#     Add an azurerm_monitor_diagnostic_setting with `target_resource_id =
#     azurerm_key_vault.<name>.id`, a destination (`log_analytics_workspace_id`
#     or `storage_account_id`) and `enabled_log { category_group = "audit" }`
#     (or `category = "AuditEvent"`), and keep the destination's retention at
#     least as long as your audit policy requires.
#   applies_to: [azurerm_key_vault, azurerm_monitor_diagnostic_setting]
package clause.rules.terraform.azure.key_vault_audit_logging_missing

import data.clause.lib.azure as az
import data.clause.lib.terraform as tf
import rego.v1

diagnostic_settings := tf.resources("azurerm_monitor_diagnostic_setting")

audit_groups := {"audit", "alllogs"}

# settings(address, vault): the diagnostic settings that target the vault.
settings(address, vault) := {a: ds |
	some a, ds in diagnostic_settings
	tf.refers_to(ds.values.target_resource_id, address)
}

# maybe(address, vault): diagnostic settings whose target clause cannot
# resolve and that may be this vault's.
maybe(address, vault) := sort([sprintf("%s (target_resource_id = %s)", [a, az.shown(ds.values.target_resource_id)]) |
	some a, ds in diagnostic_settings
	not tf.refers_to(ds.values.target_resource_id, address)
	az.may_name(ds.values.target_resource_id, address, vault)
])

# log_blocks(ds): the log categories a setting enables, from `enabled_log`
# blocks and from `log` blocks (azurerm 2.x/3.x) that are not disabled.
log_blocks(ds) := [b | some b in tf.blocks(ds.values, "enabled_log"); is_object(b)]

legacy_blocks(ds) := [b | some b in tf.blocks(ds.values, "log"); is_object(b)]

audits_block(b) if az.lower_text(b.category) == "auditevent"

audits_block(b) if az.lower_text(b.category_group) in audit_groups

audits(ds) if {
	some b in log_blocks(ds)
	audits_block(b)
}

audits(ds) if {
	some b in legacy_blocks(ds)
	audits_block(b)
	not tf.is_false(b.enabled)
	not tf.is_unknown(b.enabled)
}

# undecided_logs(ds): the setting's categories, or whether they are enabled,
# are known only after apply.
undecided_logs(ds) if {
	some key in ["enabled_log", "log"]
	tf.is_unknown(ds.values[key])
}

undecided_logs(ds) if {
	some b in array.concat(log_blocks(ds), legacy_blocks(ds))
	some key in ["category", "category_group"]
	tf.is_unknown(b[key])
}

undecided_logs(ds) if {
	some b in legacy_blocks(ds)
	audits_block(b)
	tf.is_unknown(b.enabled)
}

audited(address, vault) if {
	some _, ds in settings(address, vault)
	audits(ds)
}

undecided_settings(address, vault) := sort([a |
	some a, ds in settings(address, vault)
	undecided_logs(ds)
])

deny contains {"msg": msg, "label": "no audit log", "path": tf.resource_path(address)} if {
	some address, vault in tf.resources("azurerm_key_vault")
	count(settings(address, vault)) == 0
	count(maybe(address, vault)) == 0
	msg := sprintf("%s has no diagnostic setting: its AuditEvent log of access to keys, secrets and certificates is not kept", [address])
}

deny contains {"msg": msg, "label": "no audit log", "path": tf.resource_path(address)} if {
	some address, vault in tf.resources("azurerm_key_vault")
	found := settings(address, vault)
	count(found) > 0
	not audited(address, vault)
	count(undecided_settings(address, vault)) == 0
	msg := sprintf("%s is not audit-logged: its diagnostic settings (%s) do not enable the AuditEvent category or the audit or allLogs group", [address, concat(", ", sort(object.keys(found)))])
}

# Checks that depend on a value known only after apply.

undecided contains {"msg": msg, "path": tf.resource_path(address)} if {
	some address, vault in tf.resources("azurerm_key_vault")
	count(settings(address, vault)) == 0
	others := maybe(address, vault)
	count(others) > 0
	msg := sprintf("%s may not be audit-logged: no diagnostic setting refers to it for certain, and the target of %s is known only after apply", [address, concat(", ", others)])
}

undecided contains {"msg": msg, "path": tf.resource_path(address)} if {
	some address, vault in tf.resources("azurerm_key_vault")
	not audited(address, vault)
	others := undecided_settings(address, vault)
	count(others) > 0
	msg := sprintf("%s may not be audit-logged: the log categories of %s are known only after apply", [address, concat(", ", others)])
}

# A resource the rule fails anyway has nothing left to decide.
failed := {d.path[1] | some d in deny}

inconclusive contains c if {
	some c in undecided
	not c.path[1] in failed
}
