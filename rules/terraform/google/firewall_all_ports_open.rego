# METADATA
# title: Firewall rule allows every port from the internet
# description: >-
#   An ingress rule that admits 0.0.0.0/0 or ::/0 for every protocol
#   (`protocol = "all"`) or for every TCP, UDP or SCTP port (no `ports`, or a
#   range from 0 or 1 to 65535) stops the firewall from being a control at all:
#   whatever listens on the targeted instances now or later, including
#   databases, metrics endpoints and debug consoles, is reachable by anyone on
#   the internet. ISO/IEC 27002 11.4.6 asks that connections from shared and
#   external networks be restricted to what the business needs, which a rule
#   allowing everything cannot be, and 10.6.1 asks for network controls that
#   protect systems from untrusted networks. This rule reports the
#   unrestricted rule itself, once per open source range; CL-GCP-001 also
#   names the administration services it exposes. It reads
#   `google_compute_firewall` and the rules of hierarchical, global and
#   regional network firewall policies that admit traffic (`allow`, or
#   `apply_security_profile_group`); an ingress `google_compute_firewall`
#   with no source at all applies to 0.0.0.0/0 and counts as open. Disabled
#   and egress rules are ignored, and rules whose sources, protocols, ports,
#   direction or state are known only after apply are reported as inconclusive
#   checks.
# custom:
#   id: CL-GCP-002
#   severity: high
#   targets: [terraform]
#   provider: google
#   controls:
#     iso27002:2005: ["11.4.6", "10.6.1"]
#     iso27002:2022: ["8.20"]
#   remediation: >-
#     List only the protocol and ports the service needs in each `allow` block
#     (for example `protocol = "tcp"` with `ports = ["443"]`), and restrict
#     anything that is not meant for the public to known `source_ranges`,
#     `source_tags` or `source_service_accounts`.
#   applies_to: [google_compute_firewall, google_compute_firewall_policy_rule, google_compute_network_firewall_policy_rule, google_compute_region_network_firewall_policy_rule]
package clause.rules.terraform.google.firewall_all_ports_open

import data.clause.lib.google as gcp
import data.clause.lib.google.ingress_allows
import data.clause.lib.terraform as tf
import rego.v1

port_protocols := {"tcp": "TCP", "6": "TCP", "udp": "UDP", "17": "UDP", "sctp": "SCTP", "132": "SCTP"}

all_ports(ports) if gcp.every_port(ports)

all_ports(ports) if {
	some p in tf.list(ports)
	b := gcp.port_bounds(p)
	b[0] <= 1
	b[1] >= 65535
}

# wide(e): what an unrestricted protocol entry allows.
wide(e) := "every protocol and port" if gcp.all_protocols(e.protocol)

wide(e) := sprintf("every %s port", [port_protocols[gcp.protocol_name(e.protocol)]]) if {
	all_ports(e.ports)
}

may_be_wide(e) if tf.is_unknown(e.protocol)

may_be_wide(e) if {
	port_protocols[gcp.protocol_name(e.protocol)]
	not all_ports(e.ports)
	gcp.unknown_spot(e)
}

opened(r) := sort({wide(e) | some e in r.allows})

undecided_entries(r) := [e |
	some e in gcp.all_allows(r)
	may_be_wide(e)
]

source_text(s) := sprintf("%s (no source is written, so Compute Engine applies the rule to every address)", [s.value]) if s.implicit

source_text(s) := s.value if not s.implicit

what(r) := concat(" and ", opened(r)) if count(opened(r)) > 0

what(r) := "every port" if count(opened(r)) == 0

deny contains {"msg": msg, "label": "open to the internet", "path": gcp.at(r.address, s.path)} if {
	some r in ingress_allows
	not gcp.undecided_scope(r)
	some s in r.sources
	tf.open_cidr(s.value)
	count(opened(r)) > 0
	msg := sprintf("%s allows %s from %s", [r.address, what(r), source_text(s)])
}

# Checks that depend on a value known only after apply.

may_open_all(r) if count(opened(r)) > 0

may_open_all(r) if count(undecided_entries(r)) > 0

inconclusive contains {"msg": msg, "path": tf.path(r.address, s.path)} if {
	some r in ingress_allows
	may_open_all(r)
	some s in r.sources
	tf.is_unknown(s.value)
	msg := sprintf("%s may allow %s from the internet: %s", [r.address, what(r), gcp.unknown_text(s.path, s.value)])
}

inconclusive contains {"msg": msg, "path": tf.path(r.address, [key])} if {
	some r in ingress_allows
	r.kind == "firewall"
	not tf.is_unknown(r.values.source_ranges)
	may_open_all(r)
	key := gcp.undecided_default_source(r.values)
	msg := sprintf("%s may allow %s from the internet: %s, and a rule without any source applies to 0.0.0.0/0", [r.address, what(r), gcp.unknown_text([key], r.values[key])])
}

inconclusive contains {"msg": msg, "path": tf.path(r.address, spot.path)} if {
	some r in ingress_allows
	count(opened(r)) == 0
	some s in r.sources
	tf.open_cidr(s.value)
	some e in undecided_entries(r)
	spot := gcp.unknown_spot(e)
	msg := sprintf("%s may allow every port from %s: %s", [r.address, s.value, gcp.unknown_text(spot.path, spot.value)])
}

inconclusive contains {"msg": msg, "path": tf.path(r.address, [key])} if {
	some r in ingress_allows
	key := gcp.undecided_scope(r)
	some s in r.sources
	tf.open_cidr(s.value)
	count(opened(r)) > 0
	msg := sprintf("%s may allow %s from %s: %s", [r.address, what(r), s.value, gcp.unknown_text([key], r.values[key])])
}
