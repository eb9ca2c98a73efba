# Helpers for Azure (azurerm) Terraform rules:
# `import data.clause.lib.azure as az`.
#
# The azurerm provider renamed many arguments between its 2.x, 3.x and 4.x
# releases (`enable_https_traffic_only` became `https_traffic_only_enabled`,
# `allow_blob_public_access` became `allow_nested_items_to_be_public`,
# `automatic_channel_upgrade` became `automatic_upgrade_channel`): rules look
# for every name with `named` and `named_setting`. Network security group
# rules are matched here once for every rule that reads them.
package clause.lib.azure

import data.clause.lib.terraform as tf
import rego.v1

# ---------------------------------------------------------------------------
# Arguments that changed name across provider versions

# named(values, keys): the first of several names of one argument that the
# configuration writes (with a value other than null), as {"key", "value"}.
named(values, keys) := {"key": written[0], "value": values[written[0]]} if {
	written := [k | some k in keys; not tf.missing(values, k)]
	count(written) > 0
}

# unset(values, keys): none of the names of an argument is written (or all
# are null), so the provider's default applies.
unset(values, keys) if {
	every k in keys {
		tf.missing(values, k)
	}
}

# ---------------------------------------------------------------------------
# Provider version

# legacy_provider: the root module pins the azurerm provider below 3.0
# (`version = "~> 2.0"`, `"= 2.99.0"`, `">= 2.50, < 3.0"`), where some
# defaults differed from today's. Without a constraint, the current provider
# is assumed.
legacy_provider if {
	some block in tf.list(input.terraform)
	is_object(block)
	some providers in tf.list(block.required_providers)
	is_object(providers)
	pins_below_3(provider_version(providers.azurerm))
}

provider_version(spec) := spec if is_string(spec)

provider_version(spec) := spec.version if {
	is_object(spec)
	is_string(spec.version)
}

pins_below_3(v) if regex.match(`^\s*(=\s*|~>\s*)?v?[0-2](\.[0-9]+)*\s*$`, v)

pins_below_3(v) if regex.match(`<\s*v?3(\.0)*\s*(,|$)`, v)

pins_below_3(v) if regex.match(`<=\s*v?[0-2](\.[0-9]+)*\s*(,|$)`, v)

# ---------------------------------------------------------------------------
# Values known only after apply

# present(v): an argument set to something other than null or "": a known
# value, or an expression known only after apply that cannot be null (an
# attribute of a resource or data source, a function of them).
present(v) if {
	tf.known(v)
	v != null
	v != ""
}

present(v) if {
	tf.is_unknown(v)
	not may_be_null(v)
}

# may_be_null(v): an expression known only after apply that may turn out to
# be null: it depends on a variable, a local or a module output.
may_be_null(v) if {
	tf.is_unknown(v)
	some ref in tf.list(v.__refs__)
	nullable_ref(ref)
}

may_be_null(v) if {
	tf.is_unknown(v)
	some ref in tf.list(v.__refs__)
	not is_string(ref)
}

nullable_ref(ref) if {
	is_string(ref)
	regex.match(`(^|\.)(var|local)\.[^.]+$`, ref)
}

nullable_ref(ref) if {
	is_string(ref)
	regex.match(`(^|\.)(count|each|self)$`, ref)
}

nullable_ref(ref) if {
	is_string(ref)
	regex.match(`(^|\.)module\.[^.]+$`, ref)
}

# shown(v): a value as a message shows it.
shown(v) := v.__unknown__ if tf.is_unknown(v)

shown(v) := sprintf("%q", [v]) if is_string(v)

shown(v) := sprintf("%v", [v]) if {
	not is_string(v)
	not tf.is_unknown(v)
}

# unknown_text(key, v): "key = <expression> is known only after apply".
unknown_text(key, v) := sprintf("%s = %s is known only after apply", [key, shown(v)])

# lower_text(v): a string in lower case, for values Azure compares without
# regard to case; anything else is never equal to a string.
lower_text(v) := lower(v) if is_string(v)

lower_text(v) := "" if not is_string(v)

# ---------------------------------------------------------------------------
# Network security group rules

# nsg_rules: every security rule of the module, however it is written: a
# `security_rule` block (or list element) of an
# azurerm_network_security_group, or an azurerm_network_security_rule. `at`
# is where the rule's arguments are inside the resource's values.
nsg_rules contains {"address": address, "at": ["security_rule", i], "rule": rule} if {
	some address, nsg in tf.resources("azurerm_network_security_group")
	some i, rule in tf.blocks(nsg.values, "security_rule")
	is_object(rule)
	not tf.is_unknown(rule)
}

nsg_rules contains {"address": address, "at": [], "rule": r.values} if {
	some address, r in tf.resources("azurerm_network_security_rule")
	is_object(r.values)
}

# nsg_rule_unknowns: security rules of a group that are known only after
# apply as a whole (`security_rule = var.rules`), keyed by their path.
nsg_rule_unknowns contains {"address": address, "path": ["security_rule"], "value": nsg.values.security_rule} if {
	some address, nsg in tf.resources("azurerm_network_security_group")
	tf.is_unknown(nsg.values.security_rule)
}

nsg_rule_unknowns contains {"address": address, "path": ["security_rule", i], "value": rule} if {
	some address, nsg in tf.resources("azurerm_network_security_group")
	some i, rule in tf.blocks(nsg.values, "security_rule")
	tf.is_unknown(rule)
}

# inbound_allow(r): the rule admits inbound traffic.
inbound_allow(r) if {
	lower_text(r.rule.direction) == "inbound"
	lower_text(r.rule.access) == "allow"
}

# may_be_inbound_allow(r): direction and access are Inbound and Allow, or
# known only after apply.
may_be_inbound_allow(r) if {
	is_or_unknown(r.rule.direction, "inbound")
	is_or_unknown(r.rule.access, "allow")
}

is_or_unknown(v, want) if lower_text(v) == want

is_or_unknown(v, _) if tf.is_unknown(v)

# undecided_direction(r): the path of the direction or access that is known
# only after apply.
undecided_direction(r) := array.concat(r.at, ["direction"]) if {
	tf.is_unknown(r.rule.direction)
} else := array.concat(r.at, ["access"]) if {
	tf.is_unknown(r.rule.access)
}

# internet(v): a source that means "any address on the internet". Azure
# accepts `*`, the `Internet` service tag, and CIDR ranges; `Any` is what the
# portal shows for `*`.
internet(v) if {
	is_string(v)
	lower(trim_space(v)) in {"*", "any", "internet", "0.0.0.0/0", "0.0.0.0/00", "::/0", "::0/0", "0::0/0"}
}

# sources(r): the source prefixes a rule admits, each with where it is
# written; a list known only after apply is one source of its own.
sources(r) := {{"value": r.rule.source_address_prefix, "path": array.concat(r.at, ["source_address_prefix"])} |
	tf.has_key(r.rule, "source_address_prefix")
	r.rule.source_address_prefix != null
} | {{"value": p, "path": array.concat(r.at, ["source_address_prefixes", k])} |
	some k, p in tf.list(r.rule.source_address_prefixes)
} | {{"value": r.rule.source_address_prefixes, "path": array.concat(r.at, ["source_address_prefixes"])} |
	tf.is_unknown(r.rule.source_address_prefixes)
}

# open_sources(r): the sources of a rule that are the internet.
open_sources(r) := {s |
	some s in sources(r)
	is_string(s.value)
	internet(s.value)
}

# unknown_sources(r): the sources of a rule known only after apply.
unknown_sources(r) := {s |
	some s in sources(r)
	tf.is_unknown(s.value)
}

# port_ranges(r): the destination port ranges of a rule, each with where it
# is written and, when known, its bounds.
port_ranges(r) := {{"value": r.rule.destination_port_range, "path": array.concat(r.at, ["destination_port_range"])} |
	tf.has_key(r.rule, "destination_port_range")
	r.rule.destination_port_range != null
} | {{"value": p, "path": array.concat(r.at, ["destination_port_ranges", k])} |
	some k, p in tf.list(r.rule.destination_port_ranges)
} | {{"value": r.rule.destination_port_ranges, "path": array.concat(r.at, ["destination_port_ranges"])} |
	tf.is_unknown(r.rule.destination_port_ranges)
}

# bounds(v): the first and last port of a port range written as `22`, `"22"`,
# `"20-25"` or `"*"`.
bounds(v) := [v, v] if is_number(v)

bounds(v) := [0, 65535] if {
	is_string(v)
	trim_space(v) == "*"
}

bounds(v) := [n, n] if {
	is_string(v)
	regex.match(`^\s*[0-9]+\s*$`, v)
	n := to_number(trim_space(v))
}

bounds(v) := [to_number(trim_space(parts[0])), to_number(trim_space(parts[1]))] if {
	is_string(v)
	regex.match(`^\s*[0-9]+\s*-\s*[0-9]+\s*$`, v)
	parts := split(v, "-")
}

# covers(v, p): the port range v includes port p.
covers(v, p) if {
	b := bounds(v)
	b[0] <= p
	p <= b[1]
}

# every_port(v): the port range is every port (port 0 is reserved, so
# 1-65535 is every port too).
every_port(v) if {
	b := bounds(v)
	b[0] <= 1
	b[1] >= 65535
}

# protocol(r): the rule's protocol in lower case ("tcp", "udp", "icmp",
# "esp", "ah", "*").
protocol(r) := lower_text(r.rule.protocol)

# carries_tcp(r): the rule's protocol includes TCP.
carries_tcp(r) if protocol(r) in {"tcp", "*", "any"}

# ---------------------------------------------------------------------------
# IPv4 addresses

# ipv4(s): a dotted IPv4 address as a number.
ipv4(s) := n if {
	is_string(s)
	regex.match(`^\s*[0-9]{1,3}(\.[0-9]{1,3}){3}\s*$`, s)
	parts := [to_number(p) | some p in split(trim_space(s), ".")]
	every p in parts {
		p <= 255
	}
	n := (((parts[0] * 256) + parts[1]) * 256 + parts[2]) * 256 + parts[3]
}

# ---------------------------------------------------------------------------
# Resources that name other resources

# from_inputs(v): an expression known only after apply whose value comes
# only from the module's inputs (variables, locals, module outputs), not from
# a resource or data source of the module: it may name a resource of the
# module or one created elsewhere.
from_inputs(v) if {
	tf.is_unknown(v)
	every ref in tf.list(v.__refs__) {
		nullable_ref(ref)
	}
}

# names_a(v, type): v names a resource of `type` in this module.
names_a(v, type) if {
	some address, r in tf.resources(type)
	tf.links(v, address, r)
}

# may_name(v, address, r): v may name resource r but clause cannot tell for
# certain: it refers to r's resource with an index known only after apply,
# or it comes only from the module's inputs.
may_name(v, address, r) if {
	tf.links(v, address, r)
	not tf.refers_to(v, address)
	not is_string(v)
}

may_name(v, _, _) if from_inputs(v)
