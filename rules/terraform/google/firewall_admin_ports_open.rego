# METADATA
# title: Firewall rule opens remote administration ports to the internet
# description: >-
#   A VPC firewall rule or firewall policy rule that admits 0.0.0.0/0 or ::/0
#   to SSH, RDP, Telnet or WinRM exposes the instances' administration
#   interfaces to every scanner and password-guessing bot on the internet, and
#   to every exploit for the SSH or RDP server. ISO/IEC 27002 11.4.4 asks that
#   remote diagnostic and configuration ports be protected so that only
#   authorised administrators can reach them, and 10.6.1 asks for network
#   controls that keep untrusted networks away from systems. The rule reads
#   `google_compute_firewall` (`allow` blocks: `protocol = "all"`, or `tcp`
#   with `ports` that list or span the port, or no `ports` at all, which means
#   every port) and the rules of hierarchical, global and regional network
#   firewall policies that admit traffic (`action = "allow"`, or
#   `"apply_security_profile_group"`, which admits it after inspection). An ingress `google_compute_firewall` with no
#   `source_ranges`, `source_tags` or `source_service_accounts` (or only empty
#   lists) is applied by Compute Engine to 0.0.0.0/0 and counts as open.
#   Disabled rules and egress rules are ignored. Rules whose source ranges,
#   protocols, ports, direction or state are known only after apply are
#   reported as inconclusive checks, never as findings.
# custom:
#   id: CL-GCP-001
#   severity: high
#   targets: [terraform]
#   provider: google
#   controls:
#     iso27002:2005: ["11.4.4", "10.6.1"]
#     iso27002:2022: ["8.20"]
#   remediation: >-
#     Replace 0.0.0.0/0 and ::/0 in `source_ranges` (or `src_ip_ranges`) with
#     your administration network, or reach instances without exposing the
#     port: allow only Identity-Aware Proxy TCP forwarding (`source_ranges =
#     ["35.235.240.0/20"]`) and connect with `gcloud compute ssh --tunnel-through-iap`.
#     Always write a source on ingress rules: with none, Compute Engine uses 0.0.0.0/0.
#   applies_to: [google_compute_firewall, google_compute_firewall_policy_rule, google_compute_network_firewall_policy_rule, google_compute_region_network_firewall_policy_rule]
package clause.rules.terraform.google.firewall_admin_ports_open

import data.clause.lib.google as gcp
import data.clause.lib.google.ingress_allows
import data.clause.lib.terraform as tf
import rego.v1

admin_ports := {22: "SSH", 23: "Telnet", 3389: "RDP", 5985: "WinRM", 5986: "WinRM"}

opens_port(r, p) if {
	some e in r.allows
	gcp.opens(e, p)
}

# exposed(r): the administration services a rule opens, known for certain.
exposed(r) := [sprintf("%s (%d)", [admin_ports[p], p]) |
	some p in sort(object.keys(admin_ports))
	opens_port(r, p)
]

# undecided_entries(r): protocol entries that may open an administration
# port once the values known only after apply are known.
undecided_entries(r) := [e |
	some e in gcp.all_allows(r)
	some p, _ in admin_ports
	gcp.may_open(e, p)
]

may_expose(r) if count(exposed(r)) > 0

may_expose(r) if count(undecided_entries(r)) > 0

what(r) := concat(", ", exposed(r)) if count(exposed(r)) > 0

what(r) := "remote administration ports" if count(exposed(r)) == 0

source_text(s) := sprintf("%s (no source is written, so Compute Engine applies the rule to every address)", [s.value]) if s.implicit

source_text(s) := s.value if not s.implicit

deny contains {"msg": msg, "label": "open to the internet", "path": gcp.at(r.address, s.path)} if {
	some r in ingress_allows
	not gcp.undecided_scope(r)
	some s in r.sources
	tf.open_cidr(s.value)
	count(exposed(r)) > 0
	msg := sprintf("%s allows %s from %s", [r.address, what(r), source_text(s)])
}

# Checks that depend on a value known only after apply.

# A source range known only after apply.
inconclusive contains {"msg": msg, "path": tf.path(r.address, s.path)} if {
	some r in ingress_allows
	may_expose(r)
	some s in r.sources
	tf.is_unknown(s.value)
	msg := sprintf("%s may allow %s from the internet: %s", [r.address, what(r), gcp.unknown_text(s.path, s.value)])
}

# No source range written, but source tags or service accounts are known
# only after apply: they may be empty, and the rule then applies to
# 0.0.0.0/0. (Unknown source ranges are reported above.)
inconclusive contains {"msg": msg, "path": tf.path(r.address, [key])} if {
	some r in ingress_allows
	r.kind == "firewall"
	not tf.is_unknown(r.values.source_ranges)
	may_expose(r)
	key := gcp.undecided_default_source(r.values)
	msg := sprintf("%s may allow %s from the internet: %s, and a rule without any source applies to 0.0.0.0/0", [r.address, what(r), gcp.unknown_text([key], r.values[key])])
}

# Open to the internet, but a protocol or port is known only after apply.
inconclusive contains {"msg": msg, "path": tf.path(r.address, spot.path)} if {
	some r in ingress_allows
	count(exposed(r)) == 0
	some s in r.sources
	tf.open_cidr(s.value)
	some e in undecided_entries(r)
	spot := gcp.unknown_spot(e)
	msg := sprintf("%s may allow remote administration ports from %s: %s", [r.address, s.value, gcp.unknown_text(spot.path, spot.value)])
}

# Open to the internet and exposing a port, but whether the rule is an
# enabled ingress allow rule is known only after apply.
inconclusive contains {"msg": msg, "path": tf.path(r.address, [key])} if {
	some r in ingress_allows
	key := gcp.undecided_scope(r)
	some s in r.sources
	tf.open_cidr(s.value)
	count(exposed(r)) > 0
	msg := sprintf("%s may allow %s from %s: %s", [r.address, what(r), s.value, gcp.unknown_text([key], r.values[key])])
}
