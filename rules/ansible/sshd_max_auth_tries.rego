# METADATA
# title: SSH daemon allows many authentication attempts per connection
# description: >-
#   `MaxAuthTries` caps how many passwords or keys a client may try on one
#   connection before sshd drops it (and, from half that number, logs the
#   failures). Raising it above the default of 6 lets a brute-force or
#   password-spraying tool try many more guesses per connection, with fewer
#   connections for rate limits and intrusion detection (fail2ban, sshguard)
#   to see. ISO/IEC 27002 11.5.1 asks that a secure log-on procedure limit the
#   number of unsuccessful log-on attempts allowed. Only the first value sshd
#   reads outside `Match` blocks counts; a setting inside a `Match` block is
#   not flagged. Lines are read with their variables resolved; a value, file
#   name or state clause cannot resolve is an inconclusive check.
# custom:
#   id: CL-ANS-027
#   severity: low
#   targets: [ansible]
#   controls:
#     iso27002:2005: ["11.5.1"]
#     iso27002:2022: ["8.5"]
#   remediation: >-
#     Write `MaxAuthTries 4` (any value from 1 to 6; CIS benchmarks ask for 4
#     or fewer), and keep clients from offering every key in their agent with
#     `IdentitiesOnly yes` on their side rather than raising the limit.
#   applies_to: [ansible.builtin.lineinfile, ansible.builtin.blockinfile, ansible.builtin.copy, ansible.builtin.replace]
package clause.rules.ansible.sshd_max_auth_tries

import data.clause.lib.ansible as ans
import data.clause.lib.ansible.sshd_unknown_texts
import rego.v1

# sshd's default, and the most this rule accepts.
limit := 6

deny contains {
	"msg": sprintf("%s writes %q to %s, allowing %d authentication attempts per connection (more than %d)", [ans.name(s.task), s.line, s.file, tries(s.value), limit]),
	"path": ans.arg_path(s.index, s.key),
	"label": "too many attempts",
} if {
	some s in ans.sshd_settings("maxauthtries")
	s.how == "written"
	tries(s.value) > limit
}

inconclusive contains {
	"msg": sprintf("%s writes %q to %s, and clause cannot resolve the value: it may allow more than %d authentication attempts per connection", [ans.name(s.task), s.line, s.file, limit]),
	"path": ans.arg_path(s.index, s.key),
} if {
	some s in ans.sshd_settings("maxauthtries")
	s.how != "file_unknown"
	ans.value_unresolved(s.value)
}

inconclusive contains {
	"msg": sprintf("%s writes %q to %s, which clause cannot resolve: if it is the sshd configuration, it allows %d authentication attempts per connection", [ans.name(s.task), s.line, s.file, tries(s.value)]),
	"path": ans.arg_path(s.index, s.key),
} if {
	some s in ans.sshd_settings("maxauthtries")
	s.how == "file_unknown"
	tries(s.value) > limit
}

inconclusive contains {
	"msg": sprintf("%s writes %q to %s with state %s, which clause cannot resolve: it may allow %d authentication attempts per connection", [ans.name(s.task), s.line, s.file, ans.shown(s.task.args.state), tries(s.value)]),
	"path": ans.arg_path(s.index, s.key),
} if {
	some s in ans.sshd_settings("maxauthtries")
	s.how == "state_unknown"
	tries(s.value) > limit
}

inconclusive contains {
	"msg": sprintf("%s writes %s to %s, which clause cannot resolve: it may allow more than %d authentication attempts per connection", [ans.name(u.task), u.text, u.file, limit]),
	"path": ans.arg_path(u.index, u.key),
} if {
	some u in sshd_unknown_texts
}

tries(value) := to_number(value) if regex.match(`^[0-9]{1,9}$`, value)
