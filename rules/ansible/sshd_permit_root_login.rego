# METADATA
# title: SSH daemon lets root log in directly
# description: >-
#   `PermitRootLogin yes` lets anyone who guesses, phishes or sniffs the root
#   password log straight in as the most privileged account, from anywhere
#   sshd listens, and leaves no trace of which person used it. ISO/IEC 27002
#   11.5.1 asks that access to systems go through a secure log-on procedure
#   that discloses and exposes as little as possible, and 11.2.2 that
#   privileged rights be granted to individual, accountable users only when
#   needed (log in as yourself, then elevate with sudo). `prohibit-password`
#   (root by key only), `forced-commands-only` and `no` are not flagged, nor is
#   a setting inside a `Match` block, which applies only to the clients it
#   matches; sshd keeps the first value it reads, so a later line after an
#   earlier `PermitRootLogin no` is not flagged either. Lines are read with
#   their variables resolved; a value, file name or state clause cannot
#   resolve is an inconclusive check.
# custom:
#   id: CL-ANS-004
#   severity: high
#   targets: [ansible]
#   controls:
#     iso27002:2005: ["11.5.1", "11.2.2"]
#     iso27002:2022: ["8.5", "8.2"]
#   remediation: >-
#     Write `PermitRootLogin no` (or `prohibit-password` where automation must
#     log in as root with a key) and have administrators log in with their
#     own accounts and use sudo.
#   applies_to: [ansible.builtin.lineinfile, ansible.builtin.blockinfile, ansible.builtin.copy, ansible.builtin.replace]
package clause.rules.ansible.sshd_permit_root_login

import data.clause.lib.ansible as ans
import data.clause.lib.ansible.edit_modules
import rego.v1

deny contains {
	"msg": sprintf("%s writes %q to %s, so root can log in over SSH directly", [ans.name(t), trim_space(line), file]),
	"path": ans.arg_path(i, e.key),
	"label": "root login allowed",
} if {
	some i, t in ans.tasks_in(edit_modules)
	file := sshd_file(t)
	not ans.removes(t)
	not ans.removal_unknown(t)
	some e in ans.edit_texts(t)
	line := first_global_setting(e.value)
	allows_root(line)
}

# Checks clause cannot decide: the value of the first PermitRootLogin line,
# the whole text written to sshd_config, the file a `PermitRootLogin yes`
# line goes to, or whether the line is written or removed.
inconclusive contains {
	"msg": sprintf("%s writes %q to %s, and clause cannot resolve the value: root may be able to log in over SSH directly", [ans.name(t), trim_space(line), file]),
	"path": ans.arg_path(i, e.key),
} if {
	some i, t in ans.tasks_in(edit_modules)
	file := sshd_file(t)
	not ans.removes(t)
	some e in ans.edit_texts(t)
	line := first_global_setting(e.value)
	value_unresolved(line)
}

inconclusive contains {
	"msg": sprintf("%s writes %s to %s, which clause cannot resolve: it may let root log in over SSH directly", [ans.name(t), e.value.__unknown__, file]),
	"path": ans.arg_path(i, e.key),
} if {
	some i, t in ans.tasks_in(edit_modules)
	file := sshd_file(t)
	not ans.removes(t)
	some e in ans.edit_texts(t)
	ans.unknown(e.value)
}

inconclusive contains {
	"msg": sprintf("%s writes %q to %s, which clause cannot resolve: if it is the sshd configuration, root can log in over SSH directly", [ans.name(t), trim_space(line), ans.shown(f.value)]),
	"path": ans.arg_path(i, e.key),
} if {
	some i, t in ans.tasks_in(edit_modules)
	not sshd_file(t)
	some f in ans.edited_files(t)
	ans.templated(f.value)
	not ans.removes(t)
	some e in ans.edit_texts(t)
	line := first_global_setting(e.value)
	allows_root(line)
}

inconclusive contains {
	"msg": sprintf("%s writes %q to %s with state %s, which clause cannot resolve: root may be able to log in over SSH directly", [ans.name(t), trim_space(line), file, ans.shown(t.args.state)]),
	"path": ans.arg_path(i, e.key),
} if {
	some i, t in ans.tasks_in(edit_modules)
	file := sshd_file(t)
	ans.removal_unknown(t)
	some e in ans.edit_texts(t)
	line := first_global_setting(e.value)
	allows_root(line)
}

# A setting whose value (before any comment) holds an unresolved reference.
value_unresolved(line) if regex.match(`^[^#]*(\{\{|\{%)`, line)

allows_root(line) if regex.match(`^[[:space:]]*permitrootlogin([[:space:]]+|[[:space:]]*=[[:space:]]*)"?yes"?[[:space:]]*(#.*)?$`, lower(line))

# The sshd configuration file the task edits: sshd_config itself or a drop-in
# under sshd_config.d/, recognised by the literal end of its path even when
# its folder comes from a variable clause cannot resolve.
sshd_file(t) := files[0] if {
	files := sort([f.value |
		some f in ans.edited_files(t)
		is_string(f.value)
		sshd_path(f.value)
	])
	count(files) > 0
}

sshd_path(file) if endswith(file, "sshd_config")

sshd_path(file) if contains(file, "/sshd_config.d/")

# The first line setting the keyword before any `Match` block: the value sshd
# uses for every client.
first_global_setting(text) := settings[0] if {
	is_string(text)
	lines := ans.lines(text)
	matches := [j | some j, l in lines; regex.match(`^[[:space:]]*match[[:space:]]`, lower(l))]
	end := min(array.concat(matches, [count(lines)]))
	settings := [l |
		some j, l in lines
		j < end
		regex.match(`^[[:space:]]*permitrootlogin([[:space:]]|=)`, lower(l))
	]
	count(settings) > 0
}
