# METADATA
# title: NetworkPolicy allows all traffic from or to any address
# description: >-
#   A NetworkPolicy rule with no `from` (ingress) or `to` (egress), an empty
#   list of peers, or an `ipBlock` of 0.0.0.0/0 or ::/0, matches every
#   address inside and outside the cluster; without `ports`, or with a port
#   entry that names no port, it matches every port. Together they undo the
#   segregation the policy exists for: the selected pods accept connections
#   from anywhere, or can reach any host and port, which is what lateral
#   movement and data exfiltration need. ISO/IEC 27002 11.4.5 asks that
#   groups of services and systems be segregated on networks, and 10.6.1
#   that networks be controlled to protect the systems on them; an allow-all
#   rule removes both controls for the pods it selects. Rules open to any
#   address on specific ports (a public web port, egress to HTTPS) are not
#   reported, and rule lists are examined only for the directions the
#   policy's `policyTypes` enforce.
# custom:
#   id: CL-K8S-026
#   severity: medium
#   targets: [kubernetes]
#   controls:
#     iso27002:2005: ["11.4.5", "10.6.1"]
#     iso27002:2022: ["8.22", "8.20"]
#   remediation: >-
#     List the peers the pods talk to (`podSelector`, `namespaceSelector`, or
#     `ipBlock` with a specific CIDR) and the ports they use (`ports: [{port:
#     5432, protocol: TCP}]`); where a service must accept the internet, open
#     only its listening port. Keep a default-deny policy (`podSelector: {}`
#     with an empty rule list) in each namespace.
#   applies_to: [NetworkPolicy]
package clause.rules.kubernetes.network_policy_allows_all

import data.clause.lib.kubernetes as k8s
import data.clause.lib.kubernetes.label
import rego.v1

peer_field := {"ingress": "from", "egress": "to"}

type_name := {"ingress": "Ingress", "egress": "Egress"}

# Without policyTypes, a policy enforces Ingress, and Egress when it has
# egress rules.
enforced(dir) if {
	types := input.spec.policyTypes
	is_array(types)
	type_name[dir] in types
}

enforced(dir) if not is_array(input.spec.policyTypes)

policy_rules contains {"dir": dir, "i": i, "rule": r} if {
	input.kind == "NetworkPolicy"
	some dir, _ in peer_field
	enforced(dir)
	list := input.spec[dir]
	is_array(list)
	some i, r in list
	is_object(r)
}

open_cidr(c) if {
	is_string(c)
	regex.match(`^[0-9A-Fa-f.:]+/0+$`, trim_space(c))
}

# Where a rule admits every address, and how.
open_peers contains {"dir": p.dir, "i": p.i, "path": ["spec", p.dir, p.i], "why": sprintf("has no %s", [peer_field[p.dir]])} if {
	some p in policy_rules
	object.get(p.rule, peer_field[p.dir], null) == null
}

open_peers contains {"dir": p.dir, "i": p.i, "path": ["spec", p.dir, p.i, peer_field[p.dir]], "why": sprintf("has an empty %s", [peer_field[p.dir]])} if {
	some p in policy_rules
	p.rule[peer_field[p.dir]] == []
}

open_peers contains {"dir": p.dir, "i": p.i, "path": ["spec", p.dir, p.i, peer_field[p.dir], j, "ipBlock", "cidr"], "why": sprintf("admits ipBlock %s", [cidr])} if {
	some p in policy_rules
	peers := p.rule[peer_field[p.dir]]
	is_array(peers)
	some j, peer in peers
	cidr := peer.ipBlock.cidr
	open_cidr(cidr)
}

opens(p) if {
	some o in open_peers
	o.dir == p.dir
	o.i == p.i
}

peers_unknown(p) if k8s.templated(p.rule[peer_field[p.dir]])

peers_unknown(p) if {
	peers := p.rule[peer_field[p.dir]]
	is_array(peers)
	some peer in peers
	k8s.templated(peer.ipBlock.cidr)
}

all_ports(p) if object.get(p.rule, "ports", null) == null

all_ports(p) if p.rule.ports == []

# A port entry without `port` matches every port of its protocol.
all_ports(p) if {
	ports := p.rule.ports
	is_array(ports)
	some entry in ports
	is_object(entry)
	object.get(entry, "port", null) == null
}

ports_unknown(p) if k8s.templated(p.rule.ports)

direction_text := {"ingress": "accept traffic from", "egress": "can send traffic to"}

deny contains {
	"msg": sprintf("%s: %s[%d] %s, so the selected pods %s any address on any port", [label, p.dir, p.i, o.why, direction_text[p.dir]]),
	"path": o.path,
	"label": sprintf("all %s", [p.dir]),
} if {
	some p in policy_rules
	some o in open_peers
	o.dir == p.dir
	o.i == p.i
	all_ports(p)
}

inconclusive contains {
	"msg": sprintf("%s: %s[%d] takes its peers or ports from a template, so whether it allows all %s is not known", [label, p.dir, p.i, p.dir]),
	"path": ["spec", p.dir, p.i],
} if {
	some p in policy_rules
	peers_open_or_unknown(p)
	ports_all_or_unknown(p)
	undecided(p)
}

peers_open_or_unknown(p) if opens(p)

peers_open_or_unknown(p) if peers_unknown(p)

ports_all_or_unknown(p) if all_ports(p)

ports_all_or_unknown(p) if ports_unknown(p)

undecided(p) if {
	peers_unknown(p)
	not opens(p)
}

undecided(p) if {
	ports_unknown(p)
	not all_ports(p)
}
