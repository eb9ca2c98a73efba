# METADATA
# title: SSH daemon accepts accounts with an empty password
# description: >-
#   `PermitEmptyPasswords yes` lets anyone who reaches the SSH port log in,
#   with no secret at all, as any account whose password field is empty: a
#   service or test account created without a password, or one whose password
#   was cleared with `passwd -d`. The log-on then proves nothing about who is
#   connecting. ISO/IEC 27002 11.5.1 asks that access to operating systems go
#   through a secure log-on procedure, which an account without a password
#   does not have. Only the first value sshd reads outside `Match` blocks
#   counts (sshd keeps the first one); a setting inside a `Match` block applies
#   only to the clients it matches and is not flagged. Lines are read with
#   their variables resolved; a value, file name or state clause cannot
#   resolve is an inconclusive check.
# custom:
#   id: CL-ANS-026
#   severity: high
#   targets: [ansible]
#   controls:
#     iso27002:2005: ["11.5.1"]
#     iso27002:2022: ["8.5"]
#   remediation: >-
#     Write `PermitEmptyPasswords no` (the default) or drop the line, and give
#     every account that must log in a password or, better, an SSH key
#     (ansible.posix.authorized_key) with `PasswordAuthentication no`.
#   applies_to: [ansible.builtin.lineinfile, ansible.builtin.blockinfile, ansible.builtin.copy, ansible.builtin.replace]
package clause.rules.ansible.sshd_permit_empty_passwords

import data.clause.lib.ansible as ans
import data.clause.lib.ansible.sshd_unknown_texts
import rego.v1

deny contains {
	"msg": sprintf("%s writes %q to %s, so accounts with an empty password can log in over SSH", [ans.name(s.task), s.line, s.file]),
	"path": ans.arg_path(s.index, s.key),
	"label": "empty passwords accepted",
} if {
	some s in ans.sshd_settings("permitemptypasswords")
	s.how == "written"
	lower(s.value) == "yes"
}

# Checks clause cannot decide: the value of the first PermitEmptyPasswords
# line, the whole text written to sshd_config, the file a
# `PermitEmptyPasswords yes` line goes to, or whether it is written or
# removed.
inconclusive contains {
	"msg": sprintf("%s writes %q to %s, and clause cannot resolve the value: accounts with an empty password may be able to log in over SSH", [ans.name(s.task), s.line, s.file]),
	"path": ans.arg_path(s.index, s.key),
} if {
	some s in ans.sshd_settings("permitemptypasswords")
	s.how != "file_unknown"
	ans.value_unresolved(s.value)
}

inconclusive contains {
	"msg": sprintf("%s writes %q to %s, which clause cannot resolve: if it is the sshd configuration, accounts with an empty password can log in over SSH", [ans.name(s.task), s.line, s.file]),
	"path": ans.arg_path(s.index, s.key),
} if {
	some s in ans.sshd_settings("permitemptypasswords")
	s.how == "file_unknown"
	lower(s.value) == "yes"
}

inconclusive contains {
	"msg": sprintf("%s writes %q to %s with state %s, which clause cannot resolve: accounts with an empty password may be able to log in over SSH", [ans.name(s.task), s.line, s.file, ans.shown(s.task.args.state)]),
	"path": ans.arg_path(s.index, s.key),
} if {
	some s in ans.sshd_settings("permitemptypasswords")
	s.how == "state_unknown"
	lower(s.value) == "yes"
}

inconclusive contains {
	"msg": sprintf("%s writes %s to %s, which clause cannot resolve: it may let accounts with an empty password log in over SSH", [ans.name(u.task), u.text, u.file]),
	"path": ans.arg_path(u.index, u.key),
} if {
	some u in sshd_unknown_texts
}
