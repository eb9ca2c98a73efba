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
#   flagged. Lines are read with their variables resolved; a command list,
#   tag, file name or setting clause cannot resolve is an inconclusive check.
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
import data.clause.lib.ansible.edit_modules
import rego.v1

# Lines written into sudoers or a sudoers.d drop-in.
deny contains {
	"msg": sprintf("%s writes %q to %s: sudo for every command without a password", [ans.name(t), line, file]),
	"path": ans.arg_path(i, e.key),
	"label": "passwordless sudo for every command",
} if {
	some i, t in ans.tasks_in(edit_modules)
	file := sudoers_file(t)
	not ans.removes(t)
	not ans.removal_unknown(t)
	some e in ans.edit_texts(t)
	some line in spec_lines(e.value)
	nopasswd_all(line)
}

# community.general.sudoers: nopassword defaults to true.
deny contains {
	"msg": sprintf("%s lets %s run every command (ALL) through sudo without a password%s", [ans.name(t), grantee(t), default_note(t)]),
	"path": array.concat(["tasks", i, "args"], c),
	"label": "passwordless sudo for every command",
} if {
	some i, t in ans.tasks_in({"community.general.sudoers"})
	not t.args.state == "absent"
	not ans.templated(t.args.state)
	not password_required(t)
	not ans.templated(t.args.nopassword)
	some c in all_commands(t)
}

# Checks clause cannot decide: a sudoers line whose tag or command list is
# unresolved, the whole text written to sudoers, the file a `NOPASSWD: ALL`
# line goes to, whether it is written or removed; for
# community.general.sudoers, its commands, nopassword or state.
inconclusive contains {
	"msg": sprintf("%s writes %q to %s, which clause cannot fully resolve: it may grant sudo for every command without a password", [ans.name(t), line, file]),
	"path": ans.arg_path(i, e.key),
} if {
	some i, t in ans.tasks_in(edit_modules)
	file := sudoers_file(t)
	not ans.removes(t)
	some e in ans.edit_texts(t)
	some line in spec_lines(e.value)
	not nopasswd_all(line)
	maybe_nopasswd_all(line)
}

inconclusive contains {
	"msg": sprintf("%s writes %s to %s, which clause cannot resolve: it may grant sudo for every command without a password", [ans.name(t), e.value.__unknown__, file]),
	"path": ans.arg_path(i, e.key),
} if {
	some i, t in ans.tasks_in(edit_modules)
	file := sudoers_file(t)
	not ans.removes(t)
	some e in ans.edit_texts(t)
	ans.unknown(e.value)
}

inconclusive contains {
	"msg": sprintf("%s writes %q to %s, which clause cannot resolve: if it is a sudoers file, that is sudo for every command without a password", [ans.name(t), line, ans.shown(f.value)]),
	"path": ans.arg_path(i, e.key),
} if {
	some i, t in ans.tasks_in(edit_modules)
	not sudoers_file(t)
	some f in ans.edited_files(t)
	ans.templated(f.value)
	not ans.removes(t)
	some e in ans.edit_texts(t)
	some line in spec_lines(e.value)
	nopasswd_all(line)
}

inconclusive contains {
	"msg": sprintf("%s writes %q to %s with state %s, which clause cannot resolve: it may grant sudo for every command without a password", [ans.name(t), line, file, ans.shown(t.args.state)]),
	"path": ans.arg_path(i, e.key),
} if {
	some i, t in ans.tasks_in(edit_modules)
	file := sudoers_file(t)
	ans.removal_unknown(t)
	some e in ans.edit_texts(t)
	some line in spec_lines(e.value)
	nopasswd_all(line)
}

inconclusive contains {
	"msg": sprintf("%s grants %s sudo for %s, which clause cannot resolve: it may be every command without a password", [ans.name(t), grantee(t), ans.shown(t.args.commands)]),
	"path": ans.arg_path(i, "commands"),
} if {
	some i, t in ans.tasks_in({"community.general.sudoers"})
	not t.args.state == "absent"
	not password_required(t)
	count(all_commands(t)) == 0
	commands_unresolved(t.args.commands)
}

inconclusive contains {
	"msg": sprintf("%s lets %s run every command (ALL) through sudo with nopassword %s, which clause cannot resolve", [ans.name(t), grantee(t), ans.shown(t.args.nopassword)]),
	"path": ans.arg_path(i, "nopassword"),
} if {
	some i, t in ans.tasks_in({"community.general.sudoers"})
	not t.args.state == "absent"
	ans.templated(t.args.nopassword)
	count(all_commands(t)) > 0
}

inconclusive contains {
	"msg": sprintf("%s lets %s run every command (ALL) through sudo without a password, unless state %s (which clause cannot resolve) is absent", [ans.name(t), grantee(t), ans.shown(t.args.state)]),
	"path": ans.arg_path(i, "state"),
} if {
	some i, t in ans.tasks_in({"community.general.sudoers"})
	ans.templated(t.args.state)
	not password_required(t)
	not ans.templated(t.args.nopassword)
	count(all_commands(t)) > 0
}

sudoers_file(t) := files[0] if {
	t.module in edit_modules
	files := sort([f.value |
		some f in ans.edited_files(t)
		is_string(f.value)
		sudoers_path(f.value)
	])
	count(files) > 0
}

sudoers_path(file) if endswith(file, "/sudoers")

sudoers_path(file) if contains(file, "/sudoers.d/")

# The lines of a text written to sudoers, trimmed.
spec_lines(text) := {trim_space(raw) |
	is_string(text)
	some raw in ans.lines(text)
}

# A line that could be `NOPASSWD: ALL` depending on its unresolved parts:
# after NOPASSWD:, a command that is only a reference; a tag that is only a
# reference, followed by ALL; or a whole line or command specification that
# is only a reference.
maybe_nopasswd_all(line) if {
	user_spec(line)
	normal := regex.replace(line, `NOPASSWD[[:space:]]*:`, "NOPASSWD:")
	at := indexof(normal, "NOPASSWD:")
	at >= 0
	rest := regex.replace(substring(normal, at + 9, -1), `[[:space:]]#.*$`, "")
	commands := split(rest, ",")
	some j, command in commands
	only_reference(bare(command))
	not password_back(array.slice(commands, 0, j + 1))
}

maybe_nopasswd_all(line) if {
	user_spec(line)
	not contains(line, "NOPASSWD")
	regex.match(`=[^#]*\{\{[^}]*\}\}[[:space:]]*:[^#]*ALL`, line)
}

maybe_nopasswd_all(line) if only_reference(line)

maybe_nopasswd_all(line) if {
	user_spec(line)
	regex.match(`=[[:space:]]*(\([^)]*\)[[:space:]]*)?\{\{[^}]*\}\}[[:space:]]*$`, line)
}

user_spec(line) if {
	contains(line, "{{")
	not startswith(line, "#")
	not regex.match(`^(Defaults|User_Alias|Runas_Alias|Host_Alias|Cmnd_Alias|Cmd_Alias)([[:space:]:@>!]|$)`, line)
}

only_reference(text) if regex.match(`^\{\{[^}]*\}\}$`, trim_space(text))

commands_unresolved(v) if ans.unknown(v)

commands_unresolved(v) if {
	is_string(v)
	ans.templated(v)
}

commands_unresolved(v) if {
	some item in ans.list(v)
	ans.templated(item)
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

grantee(t) := t.args.user if is_string(t.args.user)

grantee(t) := t.args.user.__unknown__ if ans.unknown(t.args.user)

grantee(t) := sprintf("group %s", [ans.shown(t.args.group)]) if {
	not is_string(t.args.user)
	not ans.unknown(t.args.user)
	is_string(t.args.group)
}

grantee(t) := sprintf("group %s", [ans.shown(t.args.group)]) if {
	not is_string(t.args.user)
	not ans.unknown(t.args.user)
	ans.unknown(t.args.group)
}

grantee(t) := "the rule's user" if {
	not is_string(t.args.user)
	not ans.unknown(t.args.user)
	not is_string(t.args.group)
	not ans.unknown(t.args.group)
}

default_note(t) := " (nopassword defaults to true)" if {
	not "nopassword" in object.keys(t.args)
} else := ""
