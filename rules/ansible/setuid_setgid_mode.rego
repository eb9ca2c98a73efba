# METADATA
# title: Program made setuid or setgid
# description: >-
#   A setuid (or setgid) program runs with the privileges of its owner (or
#   group), usually root, whoever starts it. Every such binary is a privileged
#   utility open to all local users: a bug in it, an option it forgot to
#   restrict (a shell escape, a file it writes, an environment variable it
#   trusts) or a script wrapped in it hands over root. ISO/IEC 27002 11.5.4
#   asks that the use of utility programs able to override system and
#   application controls be restricted and tightly controlled; sudo rules for
#   named users do that, a setuid bit does not. Modes are judged as Ansible
#   resolves them (octal numbers, quoted strings, symbolic `u+s`), item by item
#   for loops, on files set by file, copy, template, get_url and the other
#   modules that take `mode`, and on `chmod`/`install -m` in shell and
#   command tasks (setuid only there, since setgid is commonly set on shared
#   directories). setgid on a directory (group inheritance) is not flagged,
#   nor is anything on a path the file module may treat as a directory; a mode
#   clause cannot resolve is an inconclusive check.
# custom:
#   id: CL-ANS-020
#   severity: medium
#   targets: [ansible]
#   controls:
#     iso27002:2005: ["11.5.4"]
#     iso27002:2022: ["8.18"]
#   remediation: >-
#     Drop the special bit: use a mode such as "0755" (not "4755"/"u+s"). Give
#     the people who need the program's privileges a sudo rule for that command
#     (`ops ALL=(root) /usr/local/bin/tool`), or the program the single Linux
#     capability it needs (community.general.capabilities, e.g. cap_net_raw+ep)
#     instead of full root.
#   applies_to: [ansible.builtin.file, ansible.builtin.copy, ansible.builtin.template, ansible.builtin.get_url, ansible.builtin.assemble, ansible.builtin.uri, ansible.builtin.lineinfile, ansible.builtin.blockinfile, ansible.builtin.replace, community.general.ini_file, community.general.htpasswd, community.general.xml, community.general.archive, community.crypto.openssl_privatekey, community.crypto.openssl_privatekey_convert, community.crypto.openssh_keypair, community.crypto.openssl_pkcs12, community.crypto.x509_certificate, ansible.builtin.shell, ansible.builtin.command, ansible.builtin.raw, ansible.builtin.script, ansible.windows.win_command, ansible.windows.win_shell]
package clause.rules.ansible.setuid_setgid_mode

import data.clause.lib.ansible as ans
import data.clause.lib.ansible.command_modules
import data.clause.lib.ansible.target_keys
import rego.v1

deny contains {
	"msg": sprintf("%s sets the mode of %s to %s, so it runs %s for every user", [ans.name(t), target(t), ans.mode_text(t.args.mode), runs_as(bits)]),
	"path": ans.arg_path(i, "mode"),
	"label": concat(" and ", bits),
} if {
	some i, t in file_tasks
	t.args.mode in special_modes
	not ans.directory(t)
	bits := special_bits(t)
	count(bits) > 0
}

# A mode clause cannot resolve: it may carry a setuid or setgid bit.
inconclusive contains {
	"msg": sprintf("%s sets the mode of %s to %s, which clause cannot resolve: it may be setuid or setgid", [ans.name(t), target(t), ans.shown(t.args.mode)]),
	"path": ans.arg_path(i, "mode"),
} if {
	some i, t in file_tasks
	t.args.mode in templated_modes
	not ans.directory(t)
}

file_tasks := ans.tasks_in(object.keys(target_keys))

# The modes the file tasks set, judged once each: a playbook's thousands of
# file tasks share a few dozen.
modes := {m | some t in file_tasks; m := t.args.mode}

special_modes := {m |
	some m in modes
	some class in ["u", "g"]
	ans.mode_grants(m, class, "s")
}

templated_modes := {m |
	some m in modes
	ans.templated(m)
}

# chmod / install -m in commands: setuid only.
deny contains {
	"msg": sprintf("%s runs %q, which makes a program setuid: it runs as its owner for every user", [ans.name(t), m]),
	"path": array.concat(["tasks", i, "args"], c.path),
	"label": "setuid",
} if {
	some i, t in ans.tasks_in(command_modules)
	# Every command text comes from the arguments: most name neither tool.
	regex.match(`chmod|install`, json.marshal(t.args))
	some c in ans.commands(t)
	some m in setuid_commands(c.text)
}

# special_bits(t): "setuid" and "setgid" as the task's mode sets them. The
# file module without an explicit file state may be changing a directory,
# where setgid is ordinary: only setuid counts there.
special_bits(t) := sort([b |
	some class, b in {"u": "setuid", "g": "setgid"}
	ans.mode_grants(t.args.mode, class, "s")
	not ignored(t, class)
])

ignored(t, "g") if {
	t.module == "ansible.builtin.file"
	not t.args.state in {"file", "touch", "hard", "link"}
}

runs_as(bits) := "as its owner (setuid) and with its group (setgid)" if count(bits) == 2

runs_as(["setuid"]) := "as its owner (setuid)"

runs_as(["setgid"]) := "with its group's privileges (setgid)"

target(t) := files[0] if {
	files := sort([ans.shown(f.value) | some f in ans.target_files(t)])
	count(files) > 0
} else := "its target"

# Each `chmod MODE` or `install -m MODE` whose MODE sets the setuid bit, as
# the text matched.
setuid_commands(text) := {trim_space(m[1]) |
	some m in regex.find_all_string_submatch_n(`(?:^|[;&|(\s])((?:sudo\s+)?chmod\s+(?:-[A-Za-z]+\s+|--[a-z-]+\s+)*([^\s;&|]+)(?:\s+[^\s;&|]+)?)`, text, -1)
	setuid_mode(m[2])
} | {trim_space(m[1]) |
	some m in regex.find_all_string_submatch_n(`(?:^|[;&|(\s])((?:sudo\s+)?install\s+(?:[^;&|]*?\s)?(?:-m\s*|--mode[=\s])([^\s;&|]+)[^;&|]*)`, text, -1)
	setuid_mode(m[2])
}

setuid_mode(mode) if regex.match(`^0?[4-7][0-7]{3}$`, mode)

setuid_mode(mode) if {
	not regex.match(`^[0-7]+$`, mode)
	ans.mode_grants(mode, "u", "s")
}
