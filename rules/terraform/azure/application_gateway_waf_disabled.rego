# METADATA
# title: Web application firewall is missing, disabled or only detecting
# description: >-
#   An Application Gateway publishes web applications; without a web
#   application firewall in Prevention mode, SQL injection, cross-site
#   scripting, request smuggling and known exploit payloads reach the
#   applications unfiltered. A gateway on the Standard, Standard_v2 or Basic
#   tier cannot run a WAF at all; a WAF_v2 gateway whose `waf_configuration`
#   is disabled, or without a configuration or `firewall_policy_id`, applies no
#   rules; and a WAF in Detection mode only logs attacks it could have
#   blocked. The same holds for WAF policies (azurerm_web_application_firewall_policy,
#   Front Door's azurerm_cdn_frontdoor_firewall_policy and
#   azurerm_frontdoor_firewall_policy) that are disabled or in Detection mode.
#   ISO/IEC 27002 10.6.2 asks that the security features of network services
#   be identified and implemented; for a service published to the internet,
#   request filtering by a WAF is that feature. Settings known only after apply
#   (a tier or mode from a variable without a value) are reported as
#   inconclusive checks, never as findings.
# custom:
#   id: CL-AZR-003
#   severity: medium
#   targets: [terraform]
#   provider: azure
#   controls:
#     iso27002:2005: ["10.6.2"]
#     iso27002:2022: ["8.21"]
#   remediation: >-
#     Use `sku { tier = "WAF_v2" }` and attach an
#     azurerm_web_application_firewall_policy with `firewall_policy_id`, whose
#     `policy_settings` has `enabled = true` and `mode = "Prevention"` (or a
#     `waf_configuration` block with `enabled = true` and `firewall_mode =
#     "Prevention"`). For Front Door policies set `enabled = true` and `mode =
#     "Prevention"`.
#   applies_to: [azurerm_application_gateway, azurerm_web_application_firewall_policy, azurerm_cdn_frontdoor_firewall_policy, azurerm_frontdoor_firewall_policy]
package clause.rules.terraform.azure.application_gateway_waf_disabled

import data.clause.lib.azure as az
import data.clause.lib.terraform as tf
import rego.v1

no_waf_tiers := {"standard", "standard_v2", "basic"}

gateways := tf.resources("azurerm_application_gateway")

# tier(gw): the gateway's SKU tier and where it is written.
tier(gw) := {"value": sku.tier, "path": ["sku", 0, "tier"]} if {
	sku := tf.blocks(gw.values, "sku")[0]
	tf.has_key(sku, "tier")
}

waf_tier(gw) if az.lower_text(tier(gw).value) in {"waf", "waf_v2"}

# A gateway on a tier that cannot run a WAF.
deny contains {"msg": msg, "label": "no WAF", "path": tf.path(address, t.path)} if {
	some address, gw in gateways
	t := tier(gw)
	az.lower_text(t.value) in no_waf_tiers
	msg := sprintf("%s has no web application firewall: its sku tier %q cannot run one", [address, t.value])
}

# A WAF gateway whose WAF is governed by its own `waf_configuration`.
configurations(gw) := [{"block": c, "path": ["waf_configuration", i]} |
	some i, c in tf.blocks(gw.values, "waf_configuration")
	is_object(c)
]

has_policy(gw) if az.present(gw.values.firewall_policy_id)

deny contains {"msg": msg, "label": "WAF disabled", "path": tf.path(address, array.concat(c.path, ["enabled"]))} if {
	some address, gw in gateways
	waf_tier(gw)
	not has_policy(gw)
	some c in configurations(gw)
	tf.is_false(c.block.enabled)
	msg := sprintf("%s has its web application firewall disabled (waf_configuration enabled = false)", [address])
}

deny contains {"msg": msg, "label": "detection only", "path": tf.path(address, array.concat(c.path, ["firewall_mode"]))} if {
	some address, gw in gateways
	waf_tier(gw)
	not has_policy(gw)
	some c in configurations(gw)
	not tf.is_false(c.block.enabled)
	az.lower_text(c.block.firewall_mode) == "detection"
	msg := sprintf("%s runs its web application firewall in Detection mode: attacks are logged, not blocked", [address])
}

deny contains {"msg": msg, "label": "no WAF rules", "path": tf.resource_path(address)} if {
	some address, gw in gateways
	waf_tier(gw)
	count(configurations(gw)) == 0
	tf.missing(gw.values, "firewall_policy_id")
	not tf.is_unknown(gw.values.waf_configuration)
	msg := sprintf("%s is on the %s tier but has neither a waf_configuration nor a firewall_policy_id, so no WAF rules apply", [address, tier(gw).value])
}

# WAF policies.

# policy_settings(type, values): where a policy's `enabled` and `mode` are.
policy_settings("azurerm_web_application_firewall_policy", values) := [{"block": s, "at": ["policy_settings", i]} |
	some i, s in tf.blocks(values, "policy_settings")
	is_object(s)
]

policy_settings(type, values) := [{"block": values, "at": []}] if type != "azurerm_web_application_firewall_policy"

policy_types := ["azurerm_web_application_firewall_policy", "azurerm_cdn_frontdoor_firewall_policy", "azurerm_frontdoor_firewall_policy"]

deny contains {"msg": msg, "label": "WAF disabled", "path": tf.path(address, array.concat(s.at, ["enabled"]))} if {
	some type in policy_types
	some address, policy in tf.resources(type)
	some s in policy_settings(type, policy.values)
	tf.is_false(s.block.enabled)
	msg := sprintf("%s is a disabled WAF policy (enabled = false): it filters nothing", [address])
}

deny contains {"msg": msg, "label": "detection only", "path": tf.path(address, array.concat(s.at, ["mode"]))} if {
	some type in policy_types
	some address, policy in tf.resources(type)
	some s in policy_settings(type, policy.values)
	not tf.is_false(s.block.enabled)
	az.lower_text(s.block.mode) == "detection"
	msg := sprintf("%s is a WAF policy in Detection mode: attacks are logged, not blocked", [address])
}

# Checks that depend on a value known only after apply.

undecided contains {"msg": msg, "path": tf.path(address, t.path)} if {
	some address, gw in gateways
	t := tier(gw)
	tf.is_unknown(t.value)
	msg := sprintf("%s may have no web application firewall: %s", [address, az.unknown_text("sku tier", t.value)])
}

undecided contains {"msg": msg, "path": tf.path(address, array.concat(c.path, [key]))} if {
	some address, gw in gateways
	waf_tier(gw)
	not has_policy(gw)
	some c in configurations(gw)
	some key in ["enabled", "firewall_mode"]
	tf.is_unknown(c.block[key])
	msg := sprintf("%s may not block attacks with its web application firewall: %s", [address, az.unknown_text(key, c.block[key])])
}

undecided contains {"msg": msg, "path": tf.path(address, ["firewall_policy_id"])} if {
	some address, gw in gateways
	waf_tier(gw)
	count(configurations(gw)) == 0
	az.may_be_null(gw.values.firewall_policy_id)
	msg := sprintf("%s may have no WAF rules: it has no waf_configuration, and %s", [address, az.unknown_text("firewall_policy_id", gw.values.firewall_policy_id)])
}

undecided contains {"msg": msg, "path": tf.path(address, ["waf_configuration"])} if {
	some address, gw in gateways
	waf_tier(gw)
	not has_policy(gw)
	tf.is_unknown(gw.values.waf_configuration)
	msg := sprintf("%s may not block attacks with its web application firewall: its waf_configuration (%s) is known only after apply", [address, gw.values.waf_configuration.__unknown__])
}

undecided contains {"msg": msg, "path": tf.path(address, array.concat(s.at, [key]))} if {
	some type in policy_types
	some address, policy in tf.resources(type)
	some s in policy_settings(type, policy.values)
	some key in ["enabled", "mode"]
	tf.is_unknown(s.block[key])
	msg := sprintf("%s may not block attacks: %s", [address, az.unknown_text(key, s.block[key])])
}

# A resource the rule fails anyway has nothing left to decide.
failed := {d.path[1] | some d in deny}

inconclusive contains c if {
	some c in undecided
	not c.path[1] in failed
}
