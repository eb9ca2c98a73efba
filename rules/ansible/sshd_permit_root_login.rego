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
#   earlier `PermitRootLogin no` is not flagged either.
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
import rego.v1

# Where each module takes the target file and the text it writes there.
path_keys := {
	"ansible.builtin.lineinfile": ["path", "dest", "destfile", "name"],
	"ansible.builtin.blockinfile": ["path", "dest", "destfile", "name"],
	"ansible.builtin.replace": ["path", "dest", "destfile", "name"],
	"ansible.builtin.copy": ["dest"],
}

text_keys := {
	"ansible.builtin.lineinfile": ["line", "value"],
	"ansible.builtin.blockinfile": ["block", "content"],
	"ansible.builtin.replace": ["replace"],
	"ansible.builtin.copy": ["content"],
}

deny contains {
	"msg": sprintf("%s writes %q to %s, so root can log in over SSH directly", [ans.name(t), trim_space(line), file]),
	"path": ans.arg_path(i, key),
	"label": "root login allowed",
} if {
	some i, t in input.tasks
	file := sshd_file(t)
	not removes(t)
	some key in text_keys[t.module]
	text := t.args[key]
	is_string(text)
	line := first_global_setting(text)
	regex.match(`^[[:space:]]*permitrootlogin([[:space:]]+|[[:space:]]*=[[:space:]]*)"?yes"?[[:space:]]*(#.*)?$`, lower(line))
}

# The sshd configuration file the task edits: sshd_config itself or a drop-in
# under sshd_config.d/. A templated path is unknown and not matched.
sshd_file(t) := file if {
	some key in path_keys[t.module]
	file := t.args[key]
	is_string(file)
	ans.known(file)
	sshd_path(file)
}

sshd_path(file) if endswith(file, "sshd_config")

sshd_path(file) if contains(file, "/sshd_config.d/")

# lineinfile/blockinfile with state=absent remove the text instead.
removes(t) if {
	t.module in {"ansible.builtin.lineinfile", "ansible.builtin.blockinfile"}
	t.args.state == "absent"
}

# The first line setting the keyword before any `Match` block: the value sshd
# uses for every client. Free-form `k=v` values may still hold `\n` escapes,
# which Ansible decodes.
first_global_setting(text) := settings[0] if {
	lines := split(replace(text, `\n`, "\n"), "\n")
	matches := [j | some j, l in lines; regex.match(`^[[:space:]]*match[[:space:]]`, lower(l))]
	end := min(array.concat(matches, [count(lines)]))
	settings := [l |
		some j, l in lines
		j < end
		regex.match(`^[[:space:]]*permitrootlogin([[:space:]]|=)`, lower(l))
	]
	count(settings) > 0
}
