# METADATA
# title: Microsoft Defender for Cloud plan is on the Free tier
# description: >-
#   An azurerm_security_center_subscription_pricing with `tier = "Free"`
#   switches the Microsoft Defender plan for that resource type off for the
#   whole subscription: no vulnerability assessment of virtual machines,
#   container images or SQL databases, no regulatory compliance assessment,
#   and no threat detection alerts for suspicious sign-ins, malware uploads,
#   crypto-mining or data exfiltration on servers, storage, Key Vault, SQL,
#   Kubernetes and Resource Manager. ISO/IEC 27002 15.2.2 asks that
#   information systems be regularly checked for compliance with security
#   implementation standards, which Defender's assessments do continuously,
#   and 10.10.2 asks for monitoring of system use, which its threat detection
#   provides. The plan (`resource_type`, `VirtualMachines` by default) is
#   named in the finding; a tier known only after apply is reported as an
#   inconclusive check.
# custom:
#   id: CL-AZR-022
#   severity: medium
#   targets: [terraform]
#   provider: azure
#   controls:
#     iso27002:2005: ["15.2.2", "10.10.2"]
#     iso27002:2022: ["8.8", "8.16"]
#   remediation: >-
#     Set `tier = "Standard"` on the pricing resource (with `subplan` where the
#     plan has one, such as `"P2"` for VirtualMachines), or remove the resource
#     if another team manages Defender plans for the subscription.
#   applies_to: [azurerm_security_center_subscription_pricing]
package clause.rules.terraform.azure.defender_plan_free_tier

import data.clause.lib.azure as az
import data.clause.lib.terraform as tf
import rego.v1

plan(values) := values.resource_type if is_string(values.resource_type)

plan(values) := "VirtualMachines" if tf.missing(values, "resource_type")

plan(values) := az.shown(values.resource_type) if tf.is_unknown(values.resource_type)

deny contains {"msg": msg, "label": "Defender off", "path": tf.path(address, ["tier"])} if {
	some address, pricing in tf.resources("azurerm_security_center_subscription_pricing")
	az.lower_text(pricing.values.tier) == "free"
	msg := sprintf("%s turns the Microsoft Defender plan for %s off (tier = %q): no vulnerability assessment or threat detection for it", [address, plan(pricing.values), pricing.values.tier])
}

undecided contains {"msg": msg, "path": tf.path(address, ["tier"])} if {
	some address, pricing in tf.resources("azurerm_security_center_subscription_pricing")
	tf.is_unknown(pricing.values.tier)
	msg := sprintf("%s may turn the Microsoft Defender plan for %s off: %s", [address, plan(pricing.values), az.unknown_text("tier", pricing.values.tier)])
}

# A resource the rule fails anyway has nothing left to decide.
failed := {d.path[1] | some d in deny}

inconclusive contains c if {
	some c in undecided
	not c.path[1] in failed
}
