# METADATA
# title: File or directory made world-writable
# description: >-
#   A mode that grants write permission to "others" lets every local account
#   and every compromised service on the host change the file: configuration,
#   scripts run by root, or data. ISO/IEC 27002 11.6.1 asks that access to
#   information and system files be restricted to those who need it, and
#   12.4.1 that changes to operational software and its configuration stay
#   under control. Modes are judged as Ansible resolves them, item by item
#   for loops; a mode clause cannot resolve is an inconclusive check.
# custom:
#   id: CL-ANS-003
#   severity: high
#   targets: [ansible]
#   controls:
#     iso27002:2005: ["11.6.1", "12.4.1"]
#     iso27002:2022: ["8.3", "8.19"]
#   remediation: >-
#     Drop the write bit for others: use a mode such as "0644" for files or
#     "0755" for directories, quoted so YAML keeps the leading zero.
#   applies_to: ["*"]
package clause.rules.ansible.world_writable_mode

import data.clause.lib.ansible as ans
import rego.v1

# Modules whose `mode` (or `directory_mode`) sets permissions on the target.
mode_modules := {
	"ansible.builtin.file", "ansible.builtin.copy", "ansible.builtin.template",
	"ansible.builtin.get_url", "ansible.builtin.unarchive", "ansible.builtin.assemble",
	"ansible.builtin.lineinfile", "ansible.builtin.blockinfile", "ansible.builtin.replace",
	"ansible.builtin.uri", "ansible.builtin.fetch", "ansible.posix.synchronize",
	"community.general.ini_file", "community.general.archive", "community.general.htpasswd",
	"community.general.xml", "community.crypto.openssl_privatekey",
	"community.crypto.x509_certificate", "community.crypto.openssh_keypair",
}

deny contains violation if {
	some i, t in ans.tasks_in(mode_modules)
	some key in mode_keys
	value := t.args[key]
	value in writable_modes
	violation := {
		"msg": sprintf("%s sets %s to %s, which lets any user write to it", [ans.name(t), key, shown(value)]),
		"path": ans.arg_path(i, key),
	}
}

# A mode clause cannot resolve (an undefined variable, a loop over a list it
# cannot see, arithmetic): the check cannot be decided here.
inconclusive contains {
	"msg": sprintf("%s sets %s to %s, which clause cannot resolve: it may let any user write to it", [ans.name(t), key, ans.shown(value)]),
	"path": ans.arg_path(i, key),
} if {
	some i, t in ans.tasks_in(mode_modules)
	some key in mode_keys
	value := t.args[key]
	value in templated_modes
}

mode_keys := ["mode", "directory_mode"]

# The modes the tasks set, judged once each (a playbook's thousands of file
# tasks share a few dozen): those letting any user write, and those clause
# could not resolve.
modes := {m |
	some t in ans.tasks_in(mode_modules)
	some key in mode_keys
	m := t.args[key]
}

writable_modes := {m |
	some m in modes
	world_writable(m)
}

templated_modes := {m |
	some m in modes
	ans.templated(m)
	not world_writable(m)
}

# shown(mode): a mode as users write it; YAML reads an unquoted 0777 as the
# number 511, which would puzzle a reader of the message.
shown(mode) := octal(mode) if is_number(mode)

shown(mode) := mode if is_string(mode)

octal(n) := sprintf("%d%d%d%d", [special, floor(n / 64) % 8, floor(n / 8) % 8, n % 8]) if {
	special := floor(n / 512) % 8
	special > 0
} else := sprintf("0%d%d%d", [floor(n / 64) % 8, floor(n / 8) % 8, n % 8])

# An integer is the mode itself (YAML 1.1 reads 0777 as octal 511).
world_writable(mode) if {
	is_number(mode)
	bits.and(mode, 2) != 0
}

# A string of octal digits, as Ansible reads it ("0777", "777", "0o777").
world_writable(mode) if {
	is_string(mode)
	regex.match(`^(0o)?[0-7]{3,4}$`, mode)
	last := substring(mode, count(mode) - 1, 1)
	last in {"2", "3", "6", "7"}
}

# Symbolic modes: a clause giving write to `o` or `a`. A clause naming no one
# (`+w`) is filtered through the umask, as chmod does, so it is not flagged.
world_writable(mode) if {
	is_string(mode)
	not ans.templated(mode)
	some clause in split(mode, ",")
	parts := regex.find_all_string_submatch_n(`^([ugoa]*)([+=])([rwxXst]*)$`, trim_space(clause), 1)
	count(parts) == 1
	who := parts[0][1]
	contains(parts[0][3], "w")
	writes_others(who)
}

writes_others(who) if contains(who, "o")

writes_others(who) if contains(who, "a")
