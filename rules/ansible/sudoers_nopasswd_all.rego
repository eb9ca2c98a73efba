# METADATA
# title: sudo grants every command without a password
# description: >-
#   A sudoers rule `NOPASSWD: ALL` turns the account into root for anyone who
#   gets a shell as it: a stolen SSH key, a compromised service running as
#   that user or a process started by it elevates with no further check, and
#   nothing slows an attacker down or prompts the person at the keyboard.
#   ISO/IEC 27002 11.2.2 asks that privileges be allocated on a need-to-use
#   basis, for specific purposes, and under a controlled authorisation process;
#   unrestricted, unauthenticated root is the opposite. community.general.sudoers
#   is flagged for `commands: ALL` unless `nopassword: false`, since its
#   nopassword defaults to true. Rules limited to specific commands are not
#   flagged.
# custom:
#   id: CL-ANS-009
#   severity: high
#   targets: [ansible]
#   controls:
#     iso27002:2005: ["11.2.2"]
#     iso27002:2022: ["8.2"]
#   remediation: >-
#     List only the commands the account needs (`deploy ALL=(root) NOPASSWD:
#     /usr/bin/systemctl restart app`), or keep `ALL` but require the password
#     (drop NOPASSWD; with community.general.sudoers set `nopassword: false`).
#     For Ansible's own connection user, prefer become with a password supplied
#     from the vault (`ansible_become_password`).
#   applies_to: [ansible.builtin.lineinfile, ansible.builtin.blockinfile, ansible.builtin.copy, ansible.builtin.replace, community.general.sudoers]
package clause.rules.ansible.sudoers_nopasswd_all

import data.clause.lib.ansible as ans
import rego.v1

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

# Lines written into sudoers or a sudoers.d drop-in.
deny contains {
	"msg": sprintf("%s writes %q to %s: sudo for every command without a password", [ans.name(t), line, file]),
	"path": ans.arg_path(i, key),
	"label": "passwordless sudo for every command",
} if {
	some i, t in input.tasks
	file := sudoers_file(t)
	not removes(t)
	some key in text_keys[t.module]
	text := t.args[key]
	is_string(text)
	some raw in split(replace(text, `\n`, "\n"), "\n")
	line := trim_space(raw)
	nopasswd_all(line)
}

# community.general.sudoers: nopassword defaults to true.
deny contains {
	"msg": sprintf("%s lets %s run every command (ALL) through sudo without a password%s", [ans.name(t), grantee(t), default_note(t)]),
	"path": array.concat(["tasks", i, "args"], c),
	"label": "passwordless sudo for every command",
} if {
	some i, t in input.tasks
	t.module == "community.general.sudoers"
	not t.args.state == "absent"
	not password_required(t)
	some c in all_commands(t)
}

sudoers_file(t) := file if {
	some key in path_keys[t.module]
	file := t.args[key]
	is_string(file)
	ans.known(file)
	sudoers_path(file)
}

sudoers_path(file) if endswith(file, "/sudoers")

sudoers_path(file) if contains(file, "/sudoers.d/")

removes(t) if {
	t.module in {"ansible.builtin.lineinfile", "ansible.builtin.blockinfile"}
	t.args.state == "absent"
}

# A user specification whose command list, from NOPASSWD: on and before any
# PASSWD: tag takes the password back, includes ALL.
nopasswd_all(line) if {
	not startswith(line, "#")
	not regex.match(`^(Defaults|User_Alias|Runas_Alias|Host_Alias|Cmnd_Alias|Cmd_Alias)([[:space:]:@>!]|$)`, line)
	normal := regex.replace(line, `NOPASSWD[[:space:]]*:`, "NOPASSWD:")
	at := indexof(normal, "NOPASSWD:")
	at >= 0
	rest := regex.replace(substring(normal, at + 9, -1), `[[:space:]]#.*$`, "")
	commands := split(rest, ",")
	some j, command in commands
	bare(command) == "ALL"
	not password_back(array.slice(commands, 0, j + 1))
}

# A command without its runas list and tags: "(root) SETENV: ALL" -> "ALL".
bare(command) := trim_space(regex.replace(command, `^[[:space:]]*(\([^)]*\)[[:space:]]*)?([A-Z_]+[[:space:]]*:[[:space:]]*)*`, ""))

password_back(commands) if {
	some command in commands
	regex.match(`(^|[^O])PASSWD[[:space:]]*:`, command)
}

# `commands` as a list, or a string Ansible splits on commas.
all_commands(t) := {["commands"] |
	is_string(t.args.commands)
	some part in split(t.args.commands, ",")
	trim_space(part) == "ALL"
} | {["commands", j] |
	is_array(t.args.commands)
	some j, part in t.args.commands
	is_string(part)
	trim_space(part) == "ALL"
}

password_required(t) if ans.is_false(t.args.nopassword)

password_required(t) if ans.templated(t.args.nopassword)

grantee(t) := t.args.user if is_string(t.args.user)

grantee(t) := sprintf("group %s", [t.args.group]) if {
	not is_string(t.args.user)
	is_string(t.args.group)
}

grantee(t) := "the rule's user" if {
	not is_string(t.args.user)
	not is_string(t.args.group)
}

default_note(t) := " (nopassword defaults to true)" if {
	not "nopassword" in object.keys(t.args)
} else := ""
