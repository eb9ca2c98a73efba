# METADATA
# title: Account made to share another account's UID
# description: >-
#   Linux identifies users by UID; two account names with the same UID are one
#   identity to the kernel. Files, processes, audit records and sudo logs show
#   whichever name the system resolves first, so the actions of the people
#   using either name cannot be told apart, and removing one name leaves the
#   other's access in place. ansible.builtin.user's `non_unique: true` (and
#   `useradd -o`/`usermod -o`) exist to create exactly such duplicates.
#   ISO/IEC 27002 11.5.2 asks that every user have a unique identifier for
#   their personal use only, so activities can be traced to the person
#   responsible. A duplicate of UID 0 is reported by CL-ANS-018 instead. A
#   `non_unique` clause cannot resolve is an inconclusive check.
# custom:
#   id: CL-ANS-019
#   severity: medium
#   targets: [ansible]
#   controls:
#     iso27002:2005: ["11.5.2"]
#     iso27002:2022: ["5.16"]
#   remediation: >-
#     Drop `non_unique` (and `-o`) and give each account its own UID. When
#     several people must act as one service account, give them their own
#     accounts and a sudo rule to run commands as the service account
#     (`alice ALL=(app) ALL`), so each action stays attributable.
#   applies_to: [ansible.builtin.user, ansible.builtin.shell, ansible.builtin.command, ansible.builtin.raw, ansible.builtin.script, ansible.windows.win_command, ansible.windows.win_shell]
package clause.rules.ansible.shared_uid_account

import data.clause.lib.ansible as ans
import data.clause.lib.ansible.command_modules
import rego.v1

deny contains {
	"msg": sprintf("%s sets non_unique for %s with UID %v, so it can share that UID with another account", [ans.name(t), ans.shown(t.args.name), t.args.uid]),
	"path": ans.arg_path(i, "non_unique"),
	"label": "shared UID",
} if {
	some i, t in ans.tasks_in({"ansible.builtin.user"})
	not t.args.state == "absent"
	ans.is_true(t.args.non_unique)
	not root_uid(t.args.uid)
	not ans.templated(t.args.uid)
	t.args.uid != null
}

inconclusive contains {
	"msg": sprintf("%s sets non_unique to %s for %s, which clause cannot resolve: it may share UID %v with another account", [ans.name(t), ans.shown(t.args.non_unique), ans.shown(t.args.name), t.args.uid]),
	"path": ans.arg_path(i, "non_unique"),
} if {
	some i, t in ans.tasks_in({"ansible.builtin.user"})
	not t.args.state == "absent"
	ans.templated(t.args.non_unique)
	not root_uid(t.args.uid)
	t.args.uid != null
}

root_uid(v) if v == 0

root_uid(v) if {
	is_string(v)
	regex.match(`^0+$`, trim_space(v))
}

# useradd -o / usermod -o (--non-unique) with a UID other than 0.
deny contains {
	"msg": sprintf("%s runs %q, which gives an account a UID another account already has", [ans.name(t), trim_space(m[0])]),
	"path": array.concat(["tasks", i, "args"], c.path),
	"label": "shared UID",
} if {
	some i, t in ans.tasks_in(command_modules)
	some c in ans.commands(t)
	some m in regex.find_all_string_submatch_n(`(?:^|[;&|(\s])(?:sudo\s+)?(?:useradd|usermod)\s+[^;&|]*`, c.text, -1)
	regex.match(`\s(-o|--non-unique|-[a-zA-Z]*o[a-zA-Z]*)(\s|$)`, m[0])
	not regex.match(`\s(-u|--uid)(\s+|=)0+(\s|$)`, m[0])
}
