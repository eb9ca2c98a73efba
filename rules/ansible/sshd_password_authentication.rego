# METADATA
# title: SSH daemon accepts passwords
# description: >-
#   `PasswordAuthentication yes` lets anyone who reaches the SSH port try
#   passwords: guessed, reused, phished or sprayed across every account, and a
#   single weak one opens a shell. Keys (or certificates) cannot be guessed and
#   never travel to the server. ISO/IEC 27002 11.5.1 asks for a secure log-on
#   procedure that resists brute force, and 11.4.2 that users connecting
#   remotely be authenticated by an appropriate method such as cryptographic
#   keys. Password as a second factor after a key (`AuthenticationMethods
#   publickey,password`) is not flagged, nor is a setting inside a `Match`
#   block, which applies only to the clients it matches; sshd keeps the first
#   value it reads, so a later line after `PasswordAuthentication no` is not
#   flagged either. Lines are read with their variables resolved; a value,
#   file name or state clause cannot resolve is an inconclusive check.
# custom:
#   id: CL-ANS-005
#   severity: medium
#   targets: [ansible]
#   controls:
#     iso27002:2005: ["11.5.1", "11.4.2"]
#     iso27002:2022: ["8.5"]
#   remediation: >-
#     Write `PasswordAuthentication no` (and `KbdInteractiveAuthentication no`
#     unless PAM provides a second factor), distribute users' public keys with
#     ansible.posix.authorized_key, or require a key first with
#     `AuthenticationMethods publickey,password`.
#   applies_to: [ansible.builtin.lineinfile, ansible.builtin.blockinfile, ansible.builtin.copy, ansible.builtin.replace]
package clause.rules.ansible.sshd_password_authentication

import data.clause.lib.ansible as ans
import data.clause.lib.ansible.edit_modules
import rego.v1

deny contains {
	"msg": sprintf("%s writes %q to %s, so sshd accepts password logins", [ans.name(t), trim_space(line), file]),
	"path": ans.arg_path(i, e.key),
	"label": "password login allowed",
} if {
	some i, t in ans.tasks_in(edit_modules)
	file := sshd_file(t)
	not ans.removes(t)
	not ans.removal_unknown(t)
	some e in ans.edit_texts(t)
	lines := global_lines(e.value)
	line := first_setting(lines, "passwordauthentication")
	allows_passwords(line)
	not key_required_first(lines)
	not methods_unresolved(lines)
}

# Checks clause cannot decide: the value of the first PasswordAuthentication
# or AuthenticationMethods line, the whole text written to sshd_config, the
# file a `PasswordAuthentication yes` line goes to, or whether the line is
# written or removed.
inconclusive contains {
	"msg": sprintf("%s writes %q to %s, and clause cannot resolve the value: sshd may accept password logins", [ans.name(t), trim_space(line), file]),
	"path": ans.arg_path(i, e.key),
} if {
	some i, t in ans.tasks_in(edit_modules)
	file := sshd_file(t)
	not ans.removes(t)
	some e in ans.edit_texts(t)
	lines := global_lines(e.value)
	line := first_setting(lines, "passwordauthentication")
	value_unresolved(line)
	not key_required_first(lines)
}

inconclusive contains {
	"msg": sprintf("%s writes %q to %s, but clause cannot resolve its AuthenticationMethods (%q): a password may be enough to log in", [ans.name(t), trim_space(line), file, trim_space(methods)]),
	"path": ans.arg_path(i, e.key),
} if {
	some i, t in ans.tasks_in(edit_modules)
	file := sshd_file(t)
	not ans.removes(t)
	some e in ans.edit_texts(t)
	lines := global_lines(e.value)
	line := first_setting(lines, "passwordauthentication")
	allows_passwords(line)
	methods_unresolved(lines)
	methods := first_setting(lines, "authenticationmethods")
}

inconclusive contains {
	"msg": sprintf("%s writes %s to %s, which clause cannot resolve: sshd may accept password logins", [ans.name(t), e.value.__unknown__, file]),
	"path": ans.arg_path(i, e.key),
} if {
	some i, t in ans.tasks_in(edit_modules)
	file := sshd_file(t)
	not ans.removes(t)
	some e in ans.edit_texts(t)
	ans.unknown(e.value)
}

inconclusive contains {
	"msg": sprintf("%s writes %q to %s, which clause cannot resolve: if it is the sshd configuration, sshd accepts password logins", [ans.name(t), trim_space(line), ans.shown(f.value)]),
	"path": ans.arg_path(i, e.key),
} if {
	some i, t in ans.tasks_in(edit_modules)
	not sshd_file(t)
	some f in ans.edited_files(t)
	ans.templated(f.value)
	not ans.removes(t)
	some e in ans.edit_texts(t)
	lines := global_lines(e.value)
	line := first_setting(lines, "passwordauthentication")
	allows_passwords(line)
	not key_required_first(lines)
}

inconclusive contains {
	"msg": sprintf("%s writes %q to %s with state %s, which clause cannot resolve: sshd may accept password logins", [ans.name(t), trim_space(line), file, ans.shown(t.args.state)]),
	"path": ans.arg_path(i, e.key),
} if {
	some i, t in ans.tasks_in(edit_modules)
	file := sshd_file(t)
	ans.removal_unknown(t)
	some e in ans.edit_texts(t)
	lines := global_lines(e.value)
	line := first_setting(lines, "passwordauthentication")
	allows_passwords(line)
	not key_required_first(lines)
}

allows_passwords(line) if regex.match(`^[[:space:]]*passwordauthentication([[:space:]]+|[[:space:]]*=[[:space:]]*)"?yes"?[[:space:]]*(#.*)?$`, lower(line))

# A setting whose value (before any comment) holds an unresolved reference.
value_unresolved(line) if regex.match(`^[^#]*(\{\{|\{%)`, line)

methods_unresolved(lines) if value_unresolved(first_setting(lines, "authenticationmethods"))

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

# The lines before any `Match` block: the settings sshd uses for every client.
# Free-form `k=v` values may still hold `\n` escapes, which Ansible decodes.
global_lines(text) := array.slice(lines, 0, end) if {
	is_string(text)
	lines := ans.lines(text)
	matches := [j | some j, l in lines; regex.match(`^[[:space:]]*match[[:space:]]`, lower(l))]
	end := min(array.concat(matches, [count(lines)]))
}

# sshd keeps the first value it reads for a keyword.
first_setting(lines, keyword) := settings[0] if {
	pattern := sprintf(`^[[:space:]]*%s([[:space:]]|=)`, [keyword])
	settings := [l | some l in lines; regex.match(pattern, lower(l))]
	count(settings) > 0
}

# AuthenticationMethods where every accepted list includes publickey: a
# password is then only a second factor.
key_required_first(lines) if {
	line := first_setting(lines, "authenticationmethods")
	value := regex.replace(trim_space(lower(line)), `^authenticationmethods([[:space:]]+|[[:space:]]*=[[:space:]]*)`, "")
	methods := [m | some m in regex.split(`[[:space:]]+`, trim_space(value)); m != ""]
	count(methods) > 0
	every m in methods {
		"publickey" in split(m, ",")
	}
}
