# METADATA
# title: Load balancer accepts outdated TLS versions or weak cipher suites
# description: >-
#   Google Cloud load balancers negotiate TLS according to an SSL policy, and
#   both the policy resource's defaults and the policy a proxy uses when it
#   names none are `min_tls_version = "TLS_1_0"` with the `COMPATIBLE`
#   profile: TLS 1.0 and 1.1 (deprecated by RFC 8996, with known downgrade and
#   CBC padding weaknesses) and cipher suites without forward secrecy or with
#   3DES remain available to any client that asks, so a network attacker can
#   push connections to the weakest option. ISO/IEC 27002 10.8.1 asks that
#   information exchanged over networks be protected from interception and
#   modification, and 12.3.1 asks for cryptographic controls of adequate
#   strength. The rule flags `google_compute_ssl_policy` and
#   `google_compute_region_ssl_policy` whose minimum version is below TLS 1.2,
#   whose profile is `COMPATIBLE` (or not set), or whose `CUSTOM` features
#   include RSA key exchange or 3DES suites, and HTTPS and SSL proxies with no
#   `ssl_policy`. Values known only after apply make the check inconclusive.
# custom:
#   id: CL-GCP-008
#   severity: medium
#   targets: [terraform]
#   provider: google
#   controls:
#     iso27002:2005: ["10.8.1", "12.3.1"]
#     iso27002:2022: ["5.14", "8.24"]
#   remediation: >-
#     Create a `google_compute_ssl_policy` with `min_tls_version = "TLS_1_2"`
#     and `profile = "MODERN"` (or `"RESTRICTED"`), and set `ssl_policy` on
#     every `google_compute_target_https_proxy` and
#     `google_compute_target_ssl_proxy` to its `self_link`.
#   applies_to: [google_compute_ssl_policy, google_compute_region_ssl_policy, google_compute_target_https_proxy, google_compute_region_target_https_proxy, google_compute_target_ssl_proxy]
package clause.rules.terraform.google.ssl_policy_weak_tls

import data.clause.lib.terraform as tf
import rego.v1

policy_types := ["google_compute_ssl_policy", "google_compute_region_ssl_policy"]

proxy_types := ["google_compute_target_https_proxy", "google_compute_region_target_https_proxy", "google_compute_target_ssl_proxy"]

weak_versions := {"TLS_1_0", "TLS_1_1"}

# Cipher suites with RSA key exchange (no forward secrecy) or 3DES.
weak_features := {
	"TLS_RSA_WITH_AES_128_GCM_SHA256",
	"TLS_RSA_WITH_AES_256_GCM_SHA384",
	"TLS_RSA_WITH_AES_128_CBC_SHA",
	"TLS_RSA_WITH_AES_256_CBC_SHA",
	"TLS_RSA_WITH_3DES_EDE_CBC_SHA",
}

policies := {address: p |
	some type in policy_types
	some address, p in tf.resources(type)
}

# Minimum TLS version.
deny contains {"msg": msg, "label": "outdated TLS", "path": tf.path(address, ["min_tls_version"])} if {
	some address, p in policies
	p.values.min_tls_version in weak_versions
	msg := sprintf("%s accepts %s (min_tls_version = %q)", [address, version_text(p.values.min_tls_version), p.values.min_tls_version])
}

deny contains {"msg": msg, "label": "outdated TLS", "path": tf.resource_path(address)} if {
	some address, p in policies
	tf.missing(p.values, "min_tls_version")
	msg := sprintf("%s accepts TLS 1.0 and 1.1: min_tls_version is not set and defaults to TLS_1_0", [address])
}

version_text("TLS_1_0") := "TLS 1.0 and 1.1"

version_text("TLS_1_1") := "TLS 1.1"

# Cipher suites.
deny contains {"msg": msg, "label": "weak cipher suites", "path": tf.path(address, ["profile"])} if {
	some address, p in policies
	p.values.profile == "COMPATIBLE"
	msg := sprintf("%s offers weak cipher suites (profile = \"COMPATIBLE\" includes RSA key exchange and 3DES)", [address])
}

deny contains {"msg": msg, "label": "weak cipher suites", "path": tf.resource_path(address)} if {
	some address, p in policies
	tf.missing(p.values, "profile")
	msg := sprintf("%s offers weak cipher suites: profile is not set and defaults to COMPATIBLE, which includes RSA key exchange and 3DES", [address])
}

deny contains {"msg": msg, "label": "weak cipher suite", "path": tf.path(address, ["custom_features", k])} if {
	some address, p in policies
	p.values.profile == "CUSTOM"
	some k, f in tf.list(p.values.custom_features)
	f in weak_features
	msg := sprintf("%s enables the weak cipher suite %s", [address, f])
}

# Proxies that use Google's default SSL policy.
deny contains {"msg": msg, "label": "default SSL policy", "path": tf.resource_path(address)} if {
	some type in proxy_types
	some address, proxy in tf.resources(type)
	tf.missing(proxy.values, "ssl_policy")
	msg := sprintf("%s has no ssl_policy, so it uses Google's default: TLS 1.0 and the COMPATIBLE cipher suites", [address])
}

# Checks that depend on a value known only after apply.
inconclusive contains {"msg": msg, "path": tf.path(address, [key])} if {
	some address, p in policies
	some key in ["min_tls_version", "profile", "custom_features"]
	tf.is_unknown(p.values[key])
	msg := sprintf("%s may accept outdated TLS or weak cipher suites: %s = %s is known only after apply", [address, key, p.values[key].__unknown__])
}

inconclusive contains {"msg": msg, "path": tf.path(address, ["custom_features", k])} if {
	some address, p in policies
	p.values.profile == "CUSTOM"
	some k, f in tf.list(p.values.custom_features)
	tf.is_unknown(f)
	msg := sprintf("%s may enable a weak cipher suite: %s is known only after apply", [address, f.__unknown__])
}
