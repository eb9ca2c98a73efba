# METADATA
# title: Idle or abandoned sessions never time out
# description: >-
#   A shell left logged in on an unattended terminal, or an SSH session whose
#   laptop was closed or whose network dropped, stays usable by whoever
#   reaches it next, and keeps an authenticated channel open to hijack.
#   ISO/IEC 27002 11.5.5 asks that inactive sessions shut down after a defined
#   period of inactivity. Two settings do this on Linux hosts: the shell's
#   `TMOUT` (seconds of idleness before bash or ksh logs out; 0 turns it off)
#   and sshd's `ClientAliveInterval` (how often sshd checks that the client
#   still answers, dropping the session after `ClientAliveCountMax` missed
#   replies; 0, the default, never checks). This rule flags either one set to
#   0 or to more than 15 minutes (900 seconds), and `ClientAliveCountMax 0`,
#   which since OpenSSH 8.2 turns the dropping off (older versions dropped the
#   session at the first check), written into sshd_config (or a
#   drop-in) or a shell start-up file (/etc/profile, /etc/profile.d/,
#   /etc/bashrc, bash.bashrc, ~/.bashrc, ~/.profile). For sshd, only the first
#   value outside `Match` blocks counts. Values are read with their variables
#   resolved; a value, file name or state clause cannot resolve is an
#   inconclusive check.
# custom:
#   id: CL-ANS-021
#   severity: low
#   targets: [ansible]
#   controls:
#     iso27002:2005: ["11.5.5"]
#     iso27002:2022: ["8.5"]
#   remediation: >-
#     For SSH write `ClientAliveInterval 300` and `ClientAliveCountMax 3` (or
#     lower); for shells, drop a file such as /etc/profile.d/tmout.sh with
#     `readonly TMOUT=900` and `export TMOUT`, so users cannot unset it.
#   applies_to: [ansible.builtin.lineinfile, ansible.builtin.blockinfile, ansible.builtin.copy, ansible.builtin.replace]
package clause.rules.ansible.session_timeout_disabled

import data.clause.lib.ansible as ans
import data.clause.lib.ansible.edit_modules
import data.clause.lib.ansible.sshd_unknown_texts
import rego.v1

limit := 900

# --- sshd ClientAliveInterval ---------------------------------------------

deny contains {
	"msg": sprintf("%s writes %q to %s, so %s", [ans.name(s.task), s.line, s.file, sshd_effect(seconds(s.value))]),
	"path": ans.arg_path(s.index, s.key),
	"label": "no session time-out",
} if {
	some s in ans.sshd_settings("clientaliveinterval")
	s.how == "written"
	too_long(seconds(s.value))
}

sshd_effect(0) := "sshd never checks whether the client is still there, and abandoned sessions stay open"

sshd_effect(n) := sprintf("sshd waits %d seconds between checks that the client is still there (more than %d)", [n, limit]) if n > 0

inconclusive contains {
	"msg": sprintf("%s writes %q to %s, and clause cannot resolve the value: abandoned SSH sessions may never time out", [ans.name(s.task), s.line, s.file]),
	"path": ans.arg_path(s.index, s.key),
} if {
	some s in ans.sshd_settings("clientaliveinterval")
	s.how != "file_unknown"
	ans.value_unresolved(s.value)
}

inconclusive contains {
	"msg": sprintf("%s writes %q to %s, which clause cannot resolve: if it is the sshd configuration, %s", [ans.name(s.task), s.line, s.file, sshd_effect(seconds(s.value))]),
	"path": ans.arg_path(s.index, s.key),
} if {
	some s in ans.sshd_settings("clientaliveinterval")
	s.how == "file_unknown"
	too_long(seconds(s.value))
}

inconclusive contains {
	"msg": sprintf("%s writes %q to %s with state %s, which clause cannot resolve: if it is written, %s", [ans.name(s.task), s.line, s.file, ans.shown(s.task.args.state), sshd_effect(seconds(s.value))]),
	"path": ans.arg_path(s.index, s.key),
} if {
	some s in ans.sshd_settings("clientaliveinterval")
	s.how == "state_unknown"
	too_long(seconds(s.value))
}

inconclusive contains {
	"msg": sprintf("%s writes %s to %s, which clause cannot resolve: it may turn off sshd's checks for abandoned sessions", [ans.name(u.task), u.text, u.file]),
	"path": ans.arg_path(u.index, u.key),
} if {
	some u in sshd_unknown_texts
}

deny contains {
	"msg": sprintf("%s writes %q to %s, so sshd (OpenSSH 8.2 and later) never drops a session whose client stopped answering", [ans.name(s.task), s.line, s.file]),
	"path": ans.arg_path(s.index, s.key),
	"label": "no session time-out",
} if {
	some s in ans.sshd_settings("clientalivecountmax")
	s.how == "written"
	regex.match(`^0+$`, s.value)
}

inconclusive contains {
	"msg": sprintf("%s writes %q to %s, and clause cannot resolve the value: if 0, sshd never drops a session whose client stopped answering", [ans.name(s.task), s.line, s.file]),
	"path": ans.arg_path(s.index, s.key),
} if {
	some s in ans.sshd_settings("clientalivecountmax")
	s.how != "file_unknown"
	ans.value_unresolved(s.value)
}

# sshd time format: 300, 5m, 1h30m (s, m, h, d, w; case-insensitive).
seconds(value) := sum([n |
	some part in regex.find_all_string_submatch_n(`([0-9]+)([smhdw]?)`, lower(value), -1)
	n := to_number(part[1]) * unit[part[2]]
]) if regex.match(`^([0-9]+[smhdwSMHDW]?)+$`, value)

unit := {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}

too_long(n) if n == 0

too_long(n) if n > limit

# --- Shell TMOUT -----------------------------------------------------------

deny contains {
	"msg": sprintf("%s writes %q to %s, so %s", [ans.name(t), a.line, file, shell_effect(to_number(a.value))]),
	"path": ans.arg_path(i, e.key),
	"label": "no session time-out",
} if {
	some i, t in ans.tasks_in(edit_modules)
	file := shell_file(t)
	ans.writes(t)
	some e in ans.edit_texts(t)
	some a in tmout_assignments(e.value)
	regex.match(`^[0-9]+$`, a.value)
	too_long(to_number(a.value))
}

shell_effect(0) := "idle shells never log out"

shell_effect(n) := sprintf("idle shells stay logged in for %d seconds (more than %d)", [n, limit]) if n > 0

inconclusive contains {
	"msg": sprintf("%s writes %q to %s, and clause cannot resolve the value: idle shells may never log out", [ans.name(t), a.line, file]),
	"path": ans.arg_path(i, e.key),
} if {
	some i, t in ans.tasks_in(edit_modules)
	file := shell_file(t)
	not ans.removes(t)
	some e in ans.edit_texts(t)
	some a in tmout_assignments(e.value)
	ans.value_unresolved(a.value)
}

inconclusive contains {
	"msg": sprintf("%s writes %q to %s with state %s, which clause cannot resolve: if it is written, %s", [ans.name(t), a.line, file, ans.shown(t.args.state), shell_effect(to_number(a.value))]),
	"path": ans.arg_path(i, e.key),
} if {
	some i, t in ans.tasks_in(edit_modules)
	file := shell_file(t)
	ans.removal_unknown(t)
	some e in ans.edit_texts(t)
	some a in tmout_assignments(e.value)
	regex.match(`^[0-9]+$`, a.value)
	too_long(to_number(a.value))
}

# Shell start-up files read by login or interactive shells.
shell_file(t) := ans.edited_file(t, `(^/etc/profile$|^/etc/profile\.d/|^/etc/bashrc$|^/etc/bash\.bashrc$|^/etc/ksh\.kshrc$|^/etc/zsh/|^/etc/zshrc$|/\.bashrc$|/\.bash_profile$|/\.profile$|/\.kshrc$|/\.zshrc$)`)

# TMOUT assignments, plain or with export/readonly/declare/typeset, as
# {"line", "value"} (quotes removed). Commented lines are skipped.
tmout_assignments(text) := {{"line": line, "value": m[0][1]} |
	some line in ans.written_text_lines(text)
	m := regex.find_all_string_submatch_n(`^(?:(?:export|readonly|declare[[:space:]]+-[a-zA-Z]+|typeset[[:space:]]+-[a-zA-Z]+)[[:space:]]+)*TMOUT=["']?([^"';[:space:]]*(?:\{\{[^}]*\}\})?[^"';[:space:]]*)["']?`, line, 1)
	count(m) == 1
}
