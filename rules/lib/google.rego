# Helpers for Google Cloud Terraform rules (google and google-beta
# providers): `import data.clause.lib.google as gcp`.
#
# They build on clause.lib.terraform and keep its promise: a value known only
# after apply is never treated as false, missing or safe.
package clause.lib.google

import data.clause.lib.terraform as tf
import rego.v1

# ---------------------------------------------------------------------------
# Booleans written as strings.
#
# Compute Engine metadata values are strings ("TRUE", "true", "1"), read by
# the guest environment and the serial console service with Go's
# strconv.ParseBool: a value it cannot parse counts as not set. Organization
# policy `enforce` values are "TRUE"/"FALSE" strings too.

truthy(v) if v == true

truthy(v) if {
	is_string(v)
	lower(trim_space(v)) in {"true", "1", "t"}
}

falsy(v) if v == false

falsy(v) if {
	is_string(v)
	lower(trim_space(v)) in {"false", "0", "f"}
}

# metadata(values): the `metadata` map of an instance or template, or {}.
metadata(values) := values.metadata if is_object(values.metadata)

metadata(values) := {} if not is_object(values.metadata)

# ---------------------------------------------------------------------------
# Organization policies written in the same configuration.

# enforced_constraint(name): a boolean organization policy constraint (such
# as "compute.requireOsLogin") is enforced by a resource of the module, in
# either the v2 API (`google_org_policy_policy`) or the v1 resources.
enforced_constraint(name) if {
	some _, p in tf.resources("google_org_policy_policy")
	is_string(p.values.name)
	endswith(p.values.name, sprintf("/policies/%s", [name]))
	some spec in tf.blocks(p.values, "spec")
	is_object(spec)
	some rule in tf.blocks(spec, "rules")
	is_object(rule)
	truthy(rule.enforce)
}

enforced_constraint(name) if {
	some type in ["google_project_organization_policy", "google_folder_organization_policy", "google_organization_policy"]
	some _, p in tf.resources(type)
	p.values.constraint in {name, sprintf("constraints/%s", [name])}
	some b in tf.blocks(p.values, "boolean_policy")
	is_object(b)
	truthy(b.enforced)
}

# ---------------------------------------------------------------------------
# Firewall rules.
#
# ingress_allows: every rule that admits incoming traffic, normalised from a
# VPC firewall rule (`google_compute_firewall`, `allow` blocks,
# `source_ranges`) and from firewall policy rules
# (`google_compute_firewall_policy_rule`,
# `google_compute_network_firewall_policy_rule`,
# `google_compute_region_network_firewall_policy_rule`: `action = "allow"`,
# `match.src_ip_ranges`, `match.layer4_configs`). Each is
#   {"address", "kind", "values", "sources": [{"value", "path", "implicit"}],
#    "allows": [{"protocol", "ports", "at", "protocol_path", "ports_path"}]}
# where paths are inside the resource's values. `allows` holds the protocol
# blocks, or one unknown entry when the blocks themselves are unknown.

policy_rule_types := [
	"google_compute_firewall_policy_rule",
	"google_compute_network_firewall_policy_rule",
	"google_compute_region_network_firewall_policy_rule",
]

firewall_types := array.concat(["google_compute_firewall"], policy_rule_types)

ingress_allows contains {"address": address, "kind": "firewall", "values": fw.values, "sources": firewall_sources(fw.values), "allows": firewall_allows(fw.values)} if {
	some address, fw in tf.resources("google_compute_firewall")
	may_be_ingress(fw.values)
	may_be_enabled(fw.values)
}

ingress_allows contains {"address": address, "kind": "policy", "values": rule.values, "sources": policy_sources(rule.values), "allows": policy_allows(rule.values)} if {
	some type in policy_rule_types
	some address, rule in tf.resources(type)
	may_be_ingress(rule.values)
	may_be_enabled(rule.values)
	may_allow(rule.values)
}

# at(address, path): a path inside a resource, or the resource itself.
at(address, path) := tf.resource_path(address) if count(path) == 0

at(address, path) := tf.path(address, path) if count(path) > 0

# unknown_text(path, v): how a message names a value known only after apply.
unknown_text(path, v) := sprintf("%s includes %s, which is known only after apply", [path[count(path) - 2], v.__unknown__]) if {
	count(path) > 1
	is_number(path[count(path) - 1])
} else := sprintf("%s = %s is known only after apply", [path[count(path) - 1], v.__unknown__]) if {
	count(path) > 0
	is_string(path[count(path) - 1])
} else := sprintf("%s is known only after apply", [v.__unknown__])

# Direction defaults to INGRESS on VPC firewall rules; policy rules must say.
may_be_ingress(values) if tf.missing(values, "direction")

may_be_ingress(values) if values.direction == "INGRESS"

may_be_ingress(values) if tf.is_unknown(values.direction)

may_be_enabled(values) if not tf.is_true(values.disabled)

# Traffic that passes layer-7 inspection is still admitted.
may_allow(values) if values.action in {"allow", "apply_security_profile_group"}

may_allow(values) if tf.is_unknown(values.action)

# undecided_scope(r): the setting known only after apply that decides whether
# the rule admits incoming traffic at all (direction, disabled, action).
undecided_scope(r) := keys[0] if {
	keys := [key |
		some key in ["direction", "disabled", "action"]
		tf.is_unknown(r.values[key])
	]
	count(keys) > 0
}

# Sources of a VPC firewall rule. With no source_ranges, source_tags nor
# source_service_accounts (or only empty lists), Compute Engine applies an
# ingress rule to 0.0.0.0/0: the rule is open although no range is written.
firewall_sources(values) := array.concat(
	array.concat(
		[{"value": c, "path": ["source_ranges", k], "implicit": false} |
			some k, c in tf.list(values.source_ranges)
		],
		[{"value": values.source_ranges, "path": ["source_ranges"], "implicit": false} |
			tf.is_unknown(values.source_ranges)
		],
	),
	[{"value": "0.0.0.0/0", "path": implicit_path(values), "implicit": true} | no_source(values)],
)

source_keys := ["source_ranges", "source_tags", "source_service_accounts"]

empty_setting(values, key) if tf.missing(values, key)

empty_setting(values, key) if values[key] == []

no_source(values) if {
	every key in source_keys {
		empty_setting(values, key)
	}
}

# undecided_default_source(values): the source lists are empty or unknown,
# and at least one is unknown: the rule may fall back to 0.0.0.0/0.
undecided_default_source(values) := keys[0] if {
	every k in source_keys {
		may_be_empty(values, k)
	}
	keys := [key | some key in source_keys; tf.is_unknown(values[key])]
	count(keys) > 0
}

may_be_empty(values, key) if empty_setting(values, key)

may_be_empty(values, key) if tf.is_unknown(values[key])

# An empty list written out is where the default comes from; otherwise the
# rule itself.
implicit_path(values) := ["source_ranges"] if values.source_ranges == []

implicit_path(values) := [] if not values.source_ranges == []

firewall_allows(values) := [{"protocol": object.get(a, "protocol", null), "ports": object.get(a, "ports", null), "at": ["allow", i], "protocol_path": ["allow", i, "protocol"], "ports_path": ["allow", i, "ports"]} |
	some i, a in tf.blocks(values, "allow")
	is_object(a)
	not tf.is_unknown(a)
] if not tf.is_unknown(values.allow)

firewall_allows(values) := [{"protocol": values.allow, "ports": null, "at": ["allow"], "protocol_path": ["allow"], "ports_path": ["allow"]}] if tf.is_unknown(values.allow)

# Unknown protocol blocks (a `dynamic "allow"` over an unknown collection).
firewall_allows_unknown(values) := [{"protocol": a, "ports": null, "at": ["allow", i], "protocol_path": ["allow", i], "ports_path": ["allow", i]} |
	some i, a in tf.blocks(values, "allow")
	tf.is_unknown(a)
]

policy_sources(values) := array.concat(
	[{"value": c, "path": ["match", i, "src_ip_ranges", k], "implicit": false} |
		some i, m in tf.blocks(values, "match")
		is_object(m)
		some k, c in tf.list(m.src_ip_ranges)
	],
	[{"value": m.src_ip_ranges, "path": ["match", i, "src_ip_ranges"], "implicit": false} |
		some i, m in tf.blocks(values, "match")
		is_object(m)
		tf.is_unknown(m.src_ip_ranges)
	],
)

policy_allows(values) := [{"protocol": object.get(l4, "ip_protocol", null), "ports": object.get(l4, "ports", null), "at": ["match", i, "layer4_configs", j], "protocol_path": ["match", i, "layer4_configs", j, "ip_protocol"], "ports_path": ["match", i, "layer4_configs", j, "ports"]} |
	some i, m in tf.blocks(values, "match")
	is_object(m)
	some j, l4 in tf.blocks(m, "layer4_configs")
	is_object(l4)
]

# unknown_spot(e): the first value of a protocol entry known only after
# apply, with its path inside the resource's values.
unknown_spot(e) := {"path": e.protocol_path, "value": e.protocol} if {
	tf.is_unknown(e.protocol)
} else := {"path": e.ports_path, "value": e.ports} if {
	tf.is_unknown(e.ports)
} else := spot if {
	spots := [{"path": array.concat(e.ports_path, [k]), "value": p} |
		some k, p in tf.list(e.ports)
		tf.is_unknown(p)
	]
	count(spots) > 0
	spot := spots[0]
}

# all_allows(r): the protocol entries of a rule, unknown blocks included.
all_allows(r) := array.concat(r.allows, firewall_allows_unknown(r.values)) if r.kind == "firewall"

all_allows(r) := r.allows if r.kind != "firewall"

# Protocols, as the API accepts them: a name or an IP protocol number.
protocol_name(p) := lower(trim_space(p)) if is_string(p)

protocol_name(p) := format_int(p, 10) if is_number(p)

all_protocols(p) if protocol_name(p) == "all"

tcp(p) if protocol_name(p) in {"tcp", "6"}

# Ports: "22", "20-30" or a number. A protocol entry without ports (or with
# an empty list) covers every port.
port_number(s) := to_number(regex.replace(s, `^0+([0-9])`, "$1")) if {
	is_string(s)
	regex.match(`^[0-9]+$`, s)
}

port_bounds(p) := [p, p] if is_number(p)

port_bounds(p) := [n, n] if {
	is_string(p)
	n := port_number(trim_space(p))
}

port_bounds(p) := [port_number(parts[0]), port_number(parts[1])] if {
	is_string(p)
	regex.match(`^\s*[0-9]+\s*-\s*[0-9]+\s*$`, p)
	parts := [trim_space(x) | some x in split(p, "-")]
}

every_port(ports) if tf.missing({"ports": ports}, "ports")

every_port(ports) if ports == []

covers(ports, port) if every_port(ports)

covers(ports, port) if {
	some p in tf.list(ports)
	b := port_bounds(p)
	b[0] <= port
	port <= b[1]
}

# may_cover(ports, port): the ports are known only after apply, in whole or
# in part.
may_cover(ports, _) if tf.is_unknown(ports)

may_cover(ports, _) if {
	some p in tf.list(ports)
	tf.is_unknown(p)
}

# opens(entry, port): a protocol entry admits TCP traffic to a port.
opens(entry, port) if all_protocols(entry.protocol)

opens(entry, port) if {
	tcp(entry.protocol)
	covers(entry.ports, port)
}

# may_open(entry, port): it might, once values known after apply are known.
may_open(entry, _) if tf.is_unknown(entry.protocol)

may_open(entry, port) if {
	tcp(entry.protocol)
	not covers(entry.ports, port)
	may_cover(entry.ports, port)
}

# ---------------------------------------------------------------------------
# IAM.
#
# grants(prefix): every member granted a role by the IAM resources of one
# family (`google_project_iam`, `google_storage_bucket_iam`, ...): the
# authoritative `_policy` (its `policy_data` as JSON, or the
# `data.google_iam_policy` it refers to), `_binding` (`members`) and
# `_member` (`member`). Each grant is
#   {"address", "values", "role", "role_path", "member", "path"}
# with `path` and `role_path` full input paths to the member and the role
# (inside the data source for a policy built from one, whose address is then
# `source`; `policy_data` for a JSON string). A member or role
# known only after apply is an unknown marker.
grants(prefix) := (member_grants(prefix) | binding_grants(prefix)) | policy_grants(prefix)

member_grants(prefix) := {{"address": address, "values": r.values, "role": object.get(r.values, "role", null), "role_path": tf.path(address, ["role"]), "member": object.get(r.values, "member", null), "path": tf.path(address, ["member"])} |
	some address, r in tf.resources(sprintf("%s_member", [prefix]))
}

binding_grants(prefix) := {{"address": address, "values": r.values, "role": object.get(r.values, "role", null), "role_path": tf.path(address, ["role"]), "member": m, "path": tf.path(address, ["members", k])} |
	some address, r in tf.resources(sprintf("%s_binding", [prefix]))
	some k, m in tf.list(r.values.members)
} | {{"address": address, "values": r.values, "role": object.get(r.values, "role", null), "role_path": tf.path(address, ["role"]), "member": r.values.members, "path": tf.path(address, ["members"])} |
	some address, r in tf.resources(sprintf("%s_binding", [prefix]))
	tf.is_unknown(r.values.members)
}

policy_grants(prefix) := {g |
	some address, r in tf.resources(sprintf("%s_policy", [prefix]))
	some g in policy_data_grants(address, r.values)
}

# A policy written as JSON (jsonencode(...) or a literal string).
policy_data_grants(address, values) := {{"address": address, "values": values, "role": object.get(b, "role", null), "role_path": tf.path(address, ["policy_data"]), "member": m, "path": tf.path(address, ["policy_data"])} |
	doc := json.unmarshal(values.policy_data)
	is_object(doc)
	some b in tf.list(doc.bindings)
	is_object(b)
	some m in tf.list(b.members)
} if {
	is_string(values.policy_data)
	json.is_valid(values.policy_data)
}

# A policy from `data.google_iam_policy.x.policy_data`: its binding blocks.
policy_data_grants(address, values) := {{"address": address, "values": values, "role": object.get(b.binding, "role", null), "role_path": tf.path(b.source, ["binding", b.index, "role"]), "member": m, "path": tf.path(b.source, ["binding", b.index, "members", k]), "source": b.source} |
	some b in data_bindings(values.policy_data)
	some k, m in tf.list(b.binding.members)
} | {{"address": address, "values": values, "role": object.get(b.binding, "role", null), "role_path": tf.path(b.source, ["binding", b.index, "role"]), "member": b.binding.members, "path": tf.path(b.source, ["binding", b.index, "members"]), "source": b.source} |
	some b in data_bindings(values.policy_data)
	tf.is_unknown(b.binding.members)
} if policy_data_source(values.policy_data)

data_bindings(v) := {{"source": ds, "index": i, "binding": b} |
	some ds in tf.list(v.__refs__)
	is_string(ds)
	source := input.resources[ds]
	source.type == "google_iam_policy"
	some i, b in tf.blocks(source.values, "binding")
	is_object(b)
}

# A policy known only after apply that is not built from a data source of
# the module: one unknown grant.
policy_data_grants(address, values) := {{"address": address, "values": values, "role": values.policy_data, "role_path": tf.path(address, ["policy_data"]), "member": values.policy_data, "path": tf.path(address, ["policy_data"])}} if {
	tf.is_unknown(values.policy_data)
	not policy_data_source(values.policy_data)
}

policy_data_source(v) if {
	tf.is_unknown(v)
	some ds in tf.list(v.__refs__)
	is_string(ds)
	input.resources[ds].type == "google_iam_policy"
}

# ---------------------------------------------------------------------------
# Compute Engine service accounts.

# default_compute_account(email): the Compute Engine default service account,
# by its address (PROJECT_NUMBER-compute@developer.gserviceaccount.com), by
# the alias "default", or by the data source that looks it up.
default_compute_account(email) if {
	is_string(email)
	regex.match(`^(default|[0-9]+-compute@developer\.gserviceaccount\.com)$`, lower(trim_space(email)))
}

default_compute_account(email) if {
	tf.is_unknown(email)
	some ref in tf.list(email.__refs__)
	is_string(ref)
	regex.match(`(^|\.)data\.google_compute_default_service_account\.[^.]+$`, ref)
}

# full_access_scope(s): the scope that lets the account call every API its
# IAM roles allow.
full_access_scope(s) if {
	is_string(s)
	lower(trim_space(s)) in {"cloud-platform", "https://www.googleapis.com/auth/cloud-platform"}
}

# ---------------------------------------------------------------------------
# Names and references.

# names(v, address, r): v names resource r, by reference or by its literal
# name or self link (`projects/p/global/networks/default` names "default").
names(v, address, r) if tf.links(v, address, r)

names(v, _, r) if {
	is_string(v)
	is_string(r.values.name)
	endswith(v, sprintf("/%s", [r.values.name]))
}

# last_segment(v): "default" for "projects/p/global/networks/default".
last_segment(v) := parts[count(parts) - 1] if {
	is_string(v)
	parts := split(v, "/")
}
