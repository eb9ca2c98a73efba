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
#   flagged either.
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
	"msg": sprintf("%s writes %q to %s, so sshd accepts password logins", [ans.name(t), trim_space(line), file]),
	"path": ans.arg_path(i, key),
	"label": "password login allowed",
} if {
	some i, t in input.tasks
	file := sshd_file(t)
	not removes(t)
	some key in text_keys[t.module]
	text := t.args[key]
	is_string(text)
	lines := global_lines(text)
	line := first_setting(lines, "passwordauthentication")
	regex.match(`^[[:space:]]*passwordauthentication([[:space:]]+|[[:space:]]*=[[:space:]]*)"?yes"?[[:space:]]*(#.*)?$`, lower(line))
	not key_required_first(lines)
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

# The lines before any `Match` block: the settings sshd uses for every client.
# Free-form `k=v` values may still hold `\n` escapes, which Ansible decodes.
global_lines(text) := array.slice(lines, 0, end) if {
	lines := split(replace(text, `\n`, "\n"), "\n")
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
