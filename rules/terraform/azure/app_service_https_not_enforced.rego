# METADATA
# title: App Service accepts unencrypted HTTP requests
# description: >-
#   Web apps, function apps and their deployment slots answer plain HTTP on
#   their `*.azurewebsites.net` and custom domains unless `https_only = true`,
#   and the provider's default is false. Requests over HTTP carry session
#   cookies, bearer tokens, form data and API keys in clear text, and a
#   network attacker can rewrite the responses (inject script, strip the
#   redirect to HTTPS). ISO/IEC 27002 10.8.1 asks that information exchanged
#   over communication facilities be protected, and for an internet-facing
#   application that means refusing unencrypted connections. Every App
#   Service resource type of the 2.x, 3.x and 4.x providers is examined
#   (azurerm_app_service and azurerm_function_app and their slots,
#   azurerm_linux/windows_web_app, azurerm_linux/windows_function_app and
#   their slots, azurerm_logic_app_standard). An `https_only` known only after
#   apply is reported as an inconclusive check.
# custom:
#   id: CL-AZR-005
#   severity: medium
#   targets: [terraform]
#   provider: azure
#   controls:
#     iso27002:2005: ["10.8.1"]
#     iso27002:2022: ["5.14"]
#   remediation: >-
#     Set `https_only = true` on the app (and on each deployment slot); App
#     Service then redirects HTTP requests to HTTPS.
#   applies_to: [azurerm_app_service, azurerm_app_service_slot, azurerm_function_app, azurerm_function_app_slot, azurerm_linux_web_app, azurerm_windows_web_app, azurerm_linux_web_app_slot, azurerm_windows_web_app_slot, azurerm_linux_function_app, azurerm_windows_function_app, azurerm_linux_function_app_slot, azurerm_windows_function_app_slot, azurerm_logic_app_standard]
package clause.rules.terraform.azure.app_service_https_not_enforced

import data.clause.lib.azure as az
import data.clause.lib.terraform as tf
import rego.v1

types := [
	"azurerm_app_service", "azurerm_app_service_slot",
	"azurerm_function_app", "azurerm_function_app_slot",
	"azurerm_linux_web_app", "azurerm_windows_web_app",
	"azurerm_linux_web_app_slot", "azurerm_windows_web_app_slot",
	"azurerm_linux_function_app", "azurerm_windows_function_app",
	"azurerm_linux_function_app_slot", "azurerm_windows_function_app_slot",
	"azurerm_logic_app_standard",
]

apps := {address: r |
	some type in types
	some address, r in tf.resources(type)
}

deny contains {"msg": sprintf("%s accepts unencrypted HTTP requests (https_only = false)", [address]), "label": "HTTP allowed", "path": tf.path(address, ["https_only"])} if {
	some address, app in apps
	tf.is_false(app.values.https_only)
}

deny contains {"msg": sprintf("%s accepts unencrypted HTTP requests: https_only is null and defaults to false", [address]), "label": "HTTP allowed", "path": tf.path(address, ["https_only"])} if {
	some address, app in apps
	tf.has_key(app.values, "https_only")
	app.values.https_only == null
}

deny contains {"msg": sprintf("%s accepts unencrypted HTTP requests: https_only is not set and defaults to false", [address]), "label": "HTTP allowed", "path": tf.resource_path(address)} if {
	some address, app in apps
	not tf.has_key(app.values, "https_only")
}

undecided contains {"msg": msg, "path": tf.path(address, ["https_only"])} if {
	some address, app in apps
	tf.is_unknown(app.values.https_only)
	msg := sprintf("%s may accept unencrypted HTTP requests: %s", [address, az.unknown_text("https_only", app.values.https_only)])
}

# A resource the rule fails anyway has nothing left to decide.
failed := {d.path[1] | some d in deny}

inconclusive contains c if {
	some c in undecided
	not c.path[1] in failed
}
