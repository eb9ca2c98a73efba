# METADATA
# title: Account other than root given UID 0
# description: >-
#   The kernel grants root's powers to UID 0, not to the name root: a second
#   account with UID 0 (a `toor`, an `admin`, a "backup root") is a full
#   superuser that bypasses sudo and its logging, is easily missed in access
#   reviews that look for root, and leaves actions recorded under whichever
#   name the system resolves first, so nobody can tell who did what. ISO/IEC
#   27002 11.5.2 asks that every user have a unique identifier so activities
#   can be traced to the person responsible, and 11.2.2 that privileged rights
#   be allocated to individuals only as needed and under control. The rule
#   reads ansible.builtin.user's `uid`, /etc/passwd lines written directly and
#   `useradd`/`usermod -u 0` commands. A UID or name clause cannot resolve is
#   an inconclusive check.
# custom:
#   id: CL-ANS-018
#   severity: high
#   targets: [ansible]
#   controls:
#     iso27002:2005: ["11.5.2", "11.2.2"]
#     iso27002:2022: ["5.16", "8.2"]
#   remediation: >-
#     Give the account its own UID (drop `uid: 0` and `non_unique`, or pick an
#     unused UID) and grant it the root commands it needs through sudo
#     (community.general.sudoers), so each administrator acts under their own
#     identity and every elevation is logged.
#   applies_to: [ansible.builtin.user, ansible.builtin.lineinfile, ansible.builtin.blockinfile, ansible.builtin.copy, ansible.builtin.replace, ansible.builtin.shell, ansible.builtin.command, ansible.builtin.raw, ansible.builtin.script, ansible.windows.win_command, ansible.windows.win_shell]
package clause.rules.ansible.second_root_account

import data.clause.lib.ansible as ans
import data.clause.lib.ansible.command_modules
import data.clause.lib.ansible.edit_modules
import rego.v1

deny contains {
	"msg": sprintf("%s gives %s UID 0, making it a second root account", [ans.name(t), t.args.name]),
	"path": ans.arg_path(i, "uid"),
	"label": "second root account",
} if {
	some i, t in ans.tasks_in({"ansible.builtin.user"})
	not t.args.state == "absent"
	uid_zero(t.args.uid)
	is_string(t.args.name)
	t.args.name != "root"
}

inconclusive contains {
	"msg": sprintf("%s gives %s the UID %s, which clause cannot resolve: it may be 0, a second root account", [ans.name(t), t.args.name, ans.shown(t.args.uid)]),
	"path": ans.arg_path(i, "uid"),
} if {
	some i, t in ans.tasks_in({"ansible.builtin.user"})
	not t.args.state == "absent"
	ans.is_true(t.args.non_unique)
	ans.templated(t.args.uid)
	is_string(t.args.name)
	t.args.name != "root"
}

inconclusive contains {
	"msg": sprintf("%s gives UID 0 to the account %s, which clause cannot resolve: if it is not root, it is a second root account", [ans.name(t), ans.shown(t.args.name)]),
	"path": ans.arg_path(i, "uid"),
} if {
	some i, t in ans.tasks_in({"ansible.builtin.user"})
	not t.args.state == "absent"
	uid_zero(t.args.uid)
	ans.templated(t.args.name)
}

uid_zero(v) if v == 0

uid_zero(v) if {
	is_string(v)
	regex.match(`^0+$`, trim_space(v))
}

# /etc/passwd written directly.
deny contains {
	"msg": sprintf("%s writes %q to %s, making %s a second root account", [ans.name(t), line, file, m[0][1]]),
	"path": ans.arg_path(i, e.key),
	"label": "second root account",
} if {
	some i, t in ans.tasks_in(edit_modules)
	file := ans.edited_file(t, `(^|/)passwd$`)
	ans.writes(t)
	some e in ans.edit_texts(t)
	some line in ans.written_text_lines(e.value)
	m := regex.find_all_string_submatch_n(`^([^:#]+):[^:]*:0+:`, line, 1)
	count(m) == 1
	m[0][1] != "root"
}

# useradd/usermod/adduser with UID 0.
deny contains {
	"msg": sprintf("%s runs %q, which creates a second account with UID 0", [ans.name(t), trim_space(m[0])]),
	"path": array.concat(["tasks", i, "args"], c.path),
	"label": "second root account",
} if {
	some i, t in ans.tasks_in(command_modules)
	some c in ans.commands(t)
	some m in regex.find_all_string_submatch_n(`(?:^|[;&|(\s])(?:sudo\s+)?(?:useradd|usermod|adduser)\s+(?:[^;&|]*?\s)?(?:-u|--uid)(?:\s+|=)0+(?:\s[^;&|]*|$)`, c.text, -1)
	not regex.match(`\sroot\s*$`, m[0])
}
