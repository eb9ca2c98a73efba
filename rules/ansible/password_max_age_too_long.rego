# METADATA
# title: Passwords never expire, or only after more than a year
# description: >-
#   A password that is never changed stays valid for as long as the account
#   lives: one leaked in a breach elsewhere, phished, or read over a shoulder
#   years ago still opens the account today. ISO/IEC 27002 11.2.3 asks that
#   the allocation and life of users' passwords be controlled through a formal
#   management process, and 11.5.3 that the password management system
#   enforce password changes. The rule reads `PASS_MAX_DAYS` written to
#   /etc/login.defs (the default for accounts created afterwards),
#   ansible.builtin.user's `password_expire_max`, and `chage -M` / `passwd -x`
#   commands, and flags -1 (no expiry) and anything above 365 days, the
#   ceiling CIS benchmarks use. Values are read with their variables resolved;
#   one clause cannot resolve is an inconclusive check.
# custom:
#   id: CL-ANS-015
#   severity: low
#   targets: [ansible]
#   controls:
#     iso27002:2005: ["11.2.3", "11.5.3"]
#     iso27002:2022: ["5.17"]
#   remediation: >-
#     Write `PASS_MAX_DAYS 365` (or your policy's shorter period) to
#     /etc/login.defs, and set `password_expire_max: 365` on existing accounts
#     with ansible.builtin.user (or run `chage -M 365 <user>`). Accounts that
#     log in with keys only should have their password locked (`password:
#     "!"`) rather than made non-expiring.
#   applies_to: [ansible.builtin.lineinfile, ansible.builtin.blockinfile, ansible.builtin.copy, ansible.builtin.replace, ansible.builtin.user, ansible.builtin.shell, ansible.builtin.command, ansible.builtin.raw, ansible.builtin.script, ansible.windows.win_command, ansible.windows.win_shell]
package clause.rules.ansible.password_max_age_too_long

import data.clause.lib.ansible as ans
import data.clause.lib.ansible.command_modules
import data.clause.lib.ansible.edit_modules
import rego.v1

limit := 365

# /etc/login.defs
deny contains {
	"msg": sprintf("%s writes %q to %s, so new accounts' passwords %s", [ans.name(t), s.line, file, expiry(s.days)]),
	"path": ans.arg_path(i, e.key),
	"label": "password never expires",
} if {
	some i, t in ans.tasks_in(edit_modules)
	file := ans.edited_file(t, `(^|/)login\.defs$`)
	ans.writes(t)
	some e in ans.edit_texts(t)
	s := max_days_setting(e.value)
	too_long(s.days)
}

inconclusive contains {
	"msg": sprintf("%s writes %q to %s with state %s, which clause cannot resolve: if it is written, new accounts' passwords %s", [ans.name(t), s.line, file, ans.shown(t.args.state), expiry(s.days)]),
	"path": ans.arg_path(i, e.key),
} if {
	some i, t in ans.tasks_in(edit_modules)
	file := ans.edited_file(t, `(^|/)login\.defs$`)
	ans.removal_unknown(t)
	some e in ans.edit_texts(t)
	s := max_days_setting(e.value)
	too_long(s.days)
}

inconclusive contains {
	"msg": sprintf("%s writes %q to %s, and clause cannot resolve the value: passwords may never expire", [ans.name(t), line, file]),
	"path": ans.arg_path(i, e.key),
} if {
	some i, t in ans.tasks_in(edit_modules)
	file := ans.edited_file(t, `(^|/)login\.defs$`)
	not ans.removes(t)
	some e in ans.edit_texts(t)
	some line in ans.written_text_lines(e.value)
	regex.match(`^PASS_MAX_DAYS[[:space:]]+[^#]*\{\{`, line)
}

# The last PASS_MAX_DAYS line wins in login.defs (it is read top to bottom
# into one table).
max_days_setting(text) := {"line": lines[count(lines) - 1], "days": days} if {
	lines := [l | some l in ans.written_text_lines(text); regex.match(`^PASS_MAX_DAYS[[:space:]]`, l)]
	count(lines) > 0
	m := regex.find_all_string_submatch_n(`^PASS_MAX_DAYS[[:space:]]+(-?[0-9]+)[[:space:]]*(#.*)?$`, lines[count(lines) - 1], 1)
	count(m) == 1
	days := to_number(m[0][1])
}

# ansible.builtin.user password_expire_max
deny contains {
	"msg": sprintf("%s sets password_expire_max to %v for %s, so the password %s", [ans.name(t), days, ans.shown(t.args.name), expires(days)]),
	"path": ans.arg_path(i, "password_expire_max"),
	"label": "password never expires",
} if {
	some i, t in ans.tasks_in({"ansible.builtin.user"})
	days := number(t.args.password_expire_max)
	too_long(days)
	not t.args.state == "absent"
}

inconclusive contains {
	"msg": sprintf("%s sets password_expire_max to %s for %s, which clause cannot resolve: the password may never expire", [ans.name(t), ans.shown(t.args.password_expire_max), ans.shown(t.args.name)]),
	"path": ans.arg_path(i, "password_expire_max"),
} if {
	some i, t in ans.tasks_in({"ansible.builtin.user"})
	ans.templated(t.args.password_expire_max)
	not t.args.state == "absent"
}

number(v) := v if {
	is_number(v)
	v == floor(v)
}

number(v) := to_number(v) if {
	is_string(v)
	regex.match(`^-?[0-9]{1,9}$`, trim_space(v))
}

# chage -M N / passwd -x N
deny contains {
	"msg": sprintf("%s runs %q, so the password %s", [ans.name(t), trim_space(m[0]), expires(to_number(m[1]))]),
	"path": array.concat(["tasks", i, "args"], c.path),
	"label": "password never expires",
} if {
	some i, t in ans.tasks_in(command_modules)
	some c in ans.commands(t)
	some m in regex.find_all_string_submatch_n(`(?:^|[;&|(\s])(?:sudo\s+)?(?:chage|passwd)\s+(?:[^;&|]*?\s)?(?:-M|-x|--maxdays)(?:\s+|=)(-?[0-9]+)[^;&|]*`, c.text, -1)
	too_long(to_number(m[1]))
}

too_long(days) if days == -1

too_long(days) if days > limit

expiry(-1) := "never expire"

expiry(days) := sprintf("expire only after %d days (more than %d)", [days, limit]) if days > limit

expires(-1) := "never expires"

expires(days) := sprintf("expires only after %d days (more than %d)", [days, limit]) if days > limit
