# METADATA
# title: Key Vault keys can be permanently deleted at once
# description: >-
#   Without purge protection, anyone allowed to delete a Key Vault or its
#   keys (an administrator's stolen session, a compromised pipeline, a
#   ransomware operator) can also purge them from the soft-deleted state, and
#   every disk, database, storage account and backup encrypted with those
#   customer-managed keys becomes unreadable for good. With purge protection,
#   deleted vaults and keys stay recoverable for the whole soft-delete
#   retention period, whoever asks. The provider leaves `purge_protection_enabled`
#   false unless set, and azurerm 2.x could also switch soft delete off
#   (`soft_delete_enabled = false`), which makes deletion immediate. ISO/IEC
#   27002 12.3.2 asks that cryptographic keys be protected against
#   modification, loss and destruction, which purge protection enforces for
#   keys held in Key Vault and Managed HSM. Examined: azurerm_key_vault and
#   azurerm_key_vault_managed_hardware_security_module. A value known only after
#   apply is reported as an inconclusive check.
# custom:
#   id: CL-AZR-019
#   severity: medium
#   targets: [terraform]
#   provider: azure
#   controls:
#     iso27002:2005: ["12.3.2"]
#     iso27002:2022: ["8.24"]
#   remediation: >-
#     Set `purge_protection_enabled = true` (it cannot be switched off again),
#     keep `soft_delete_retention_days` at 90 unless policy says otherwise, and
#     remove `soft_delete_enabled = false`.
#   applies_to: [azurerm_key_vault, azurerm_key_vault_managed_hardware_security_module]
package clause.rules.terraform.azure.key_vault_purge_protection_disabled

import data.clause.lib.azure as az
import data.clause.lib.terraform as tf
import rego.v1

types := ["azurerm_key_vault", "azurerm_key_vault_managed_hardware_security_module"]

vaults := {address: r |
	some type in types
	some address, r in tf.resources(type)
}

deny contains {"msg": msg, "label": "purge allowed", "path": tf.path(address, ["purge_protection_enabled"])} if {
	some address, vault in vaults
	tf.is_false(vault.values.purge_protection_enabled)
	msg := sprintf("%s and everything it holds can be purged at once (purge_protection_enabled = false)", [address])
}

deny contains {"msg": msg, "label": "purge allowed", "path": tf.path(address, ["purge_protection_enabled"])} if {
	some address, vault in vaults
	tf.has_key(vault.values, "purge_protection_enabled")
	vault.values.purge_protection_enabled == null
	msg := sprintf("%s and everything it holds can be purged at once: purge_protection_enabled is null and defaults to false", [address])
}

deny contains {"msg": msg, "label": "purge allowed", "path": tf.resource_path(address)} if {
	some address, vault in vaults
	not tf.has_key(vault.values, "purge_protection_enabled")
	msg := sprintf("%s and everything it holds can be purged at once: purge_protection_enabled is not set and defaults to false", [address])
}

deny contains {"msg": msg, "label": "no soft delete", "path": tf.path(address, ["soft_delete_enabled"])} if {
	some address, vault in tf.resources("azurerm_key_vault")
	tf.is_false(vault.values.soft_delete_enabled)
	msg := sprintf("%s deletes keys and secrets immediately (soft_delete_enabled = false)", [address])
}

# Checks that depend on a value known only after apply.

undecided contains {"msg": msg, "path": tf.path(address, [key])} if {
	some address, vault in vaults
	some key in ["purge_protection_enabled", "soft_delete_enabled"]
	tf.is_unknown(vault.values[key])
	msg := sprintf("%s may let its keys be purged at once: %s", [address, az.unknown_text(key, vault.values[key])])
}

# A resource the rule fails anyway has nothing left to decide.
failed := {d.path[1] | some d in deny}

inconclusive contains c if {
	some c in undecided
	not c.path[1] in failed
}
