# METADATA
# title: Linux virtual machine accepts SSH password log-on
# description: >-
#   With `disable_password_authentication = false`, a Linux virtual machine
#   or scale set accepts SSH log-on with the administrator's password. A
#   password can be guessed, sprayed or reused from another breach, and every
#   VM reachable over SSH becomes a target for automated brute-force attacks;
#   SSH keys cannot be guessed and are not reused across sites. ISO/IEC 27002
#   11.5.1 asks that access to operating systems be controlled by a secure
#   log-on procedure, and key-based log-on is that procedure for Linux over
#   SSH. Examined: azurerm_linux_virtual_machine and
#   azurerm_linux_virtual_machine_scale_set (the argument defaults to true),
#   the `os_profile_linux_config` block of the legacy azurerm_virtual_machine,
#   and `os_profile.linux_configuration` of
#   azurerm_orchestrated_virtual_machine_scale_set. A value known only after
#   apply is reported as an inconclusive check.
# custom:
#   id: CL-AZR-013
#   severity: medium
#   targets: [terraform]
#   provider: azure
#   controls:
#     iso27002:2005: ["11.5.1"]
#     iso27002:2022: ["8.5"]
#   remediation: >-
#     Set `disable_password_authentication = true`, remove `admin_password`,
#     and give the administrator an `admin_ssh_key` block (`ssh_keys` on
#     azurerm_virtual_machine); better still, log on with Microsoft Entra ID
#     through the AADSSHLoginForLinux extension.
#   applies_to: [azurerm_linux_virtual_machine, azurerm_linux_virtual_machine_scale_set, azurerm_virtual_machine, azurerm_orchestrated_virtual_machine_scale_set]
package clause.rules.terraform.azure.linux_vm_password_authentication

import data.clause.lib.azure as az
import data.clause.lib.terraform as tf
import rego.v1

# Every disable_password_authentication of the module, with where it is.
settings contains {"address": address, "path": ["disable_password_authentication"], "value": vm.values.disable_password_authentication} if {
	some type in ["azurerm_linux_virtual_machine", "azurerm_linux_virtual_machine_scale_set"]
	some address, vm in tf.resources(type)
	not tf.missing(vm.values, "disable_password_authentication")
}

settings contains {"address": address, "path": ["os_profile_linux_config", i, "disable_password_authentication"], "value": c.disable_password_authentication} if {
	some address, vm in tf.resources("azurerm_virtual_machine")
	some i, c in tf.blocks(vm.values, "os_profile_linux_config")
	is_object(c)
	not tf.missing(c, "disable_password_authentication")
}

settings contains {"address": address, "path": ["os_profile", i, "linux_configuration", j, "disable_password_authentication"], "value": c.disable_password_authentication} if {
	some address, vmss in tf.resources("azurerm_orchestrated_virtual_machine_scale_set")
	some i, p in tf.blocks(vmss.values, "os_profile")
	is_object(p)
	some j, c in tf.blocks(p, "linux_configuration")
	is_object(c)
	not tf.missing(c, "disable_password_authentication")
}

deny contains {"msg": msg, "label": "password log-on", "path": tf.path(s.address, s.path)} if {
	some s in settings
	tf.is_false(s.value)
	msg := sprintf("%s accepts SSH log-on with a password (disable_password_authentication = false)", [s.address])
}

undecided contains {"msg": msg, "path": tf.path(s.address, s.path)} if {
	some s in settings
	tf.is_unknown(s.value)
	msg := sprintf("%s may accept SSH log-on with a password: %s", [s.address, az.unknown_text("disable_password_authentication", s.value)])
}

# A resource the rule fails anyway has nothing left to decide.
failed := {d.path[1] | some d in deny}

inconclusive contains c if {
	some c in undecided
	not c.path[1] in failed
}
