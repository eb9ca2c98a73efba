# METADATA
# title: sudo stops logging the commands administrators run
# description: >-
#   sudo logs every command it runs for someone, and every attempt it refuses,
#   to syslog (the auth or authpriv facility) by default: for most hosts that
#   record is the only trace of what administrators and operators did as root.
#   `Defaults !syslog` turns that record off, `!log_allowed` drops the
#   commands that were allowed, and `!log_denied` the refused attempts (both
#   flags exist since sudo 1.9.10). ISO/IEC 27002 10.10.4 asks that the
#   activities of system administrators and operators be logged. A Defaults
#   line scoped to some users, hosts, run-as users or commands
#   (`Defaults:deploy !syslog`) is flagged too, with its scope named: it
#   removes the record for exactly those. Lines are read with their variables
#   resolved; an option clause cannot resolve, the whole text written to
#   sudoers, or whether the line is written or removed, is an inconclusive
#   check.
# custom:
#   id: CL-ANS-014
#   severity: medium
#   targets: [ansible]
#   controls:
#     iso27002:2005: ["10.10.4"]
#     iso27002:2022: ["8.15"]
#   remediation: >-
#     Remove the negated option (logging is on by default), or set it
#     positively: `Defaults syslog=authpriv`, `Defaults log_allowed,log_denied`.
#     To keep a full record of what was typed and shown, add
#     `Defaults log_output` (with `Defaults iolog_dir=/var/log/sudo-io`), or
#     `Defaults logfile=/var/log/sudo.log` for a separate file.
#   applies_to: [ansible.builtin.lineinfile, ansible.builtin.blockinfile, ansible.builtin.copy, ansible.builtin.replace]
package clause.rules.ansible.sudo_logging_disabled

import data.clause.lib.ansible as ans
import data.clause.lib.ansible.edit_modules
import rego.v1

effects := {
	"!syslog": "sudo no longer logs the commands it runs or refuses to syslog",
	"!log_allowed": "sudo no longer logs the commands it allows",
	"!log_denied": "sudo no longer logs the commands it refuses",
}

deny contains {
	"msg": sprintf("%s writes %q to %s: %s%s", [ans.name(t), d.line, file, effects[o], scope(d.scope)]),
	"path": ans.arg_path(i, e.key),
	"label": "sudo logging off",
} if {
	some i, t in ans.tasks_in(edit_modules)
	file := sudoers_file(t)
	ans.writes(t)
	some e in ans.edit_texts(t)
	some d in defaults(e.value)
	some o in d.options
	effects[o]
}

inconclusive contains {
	"msg": sprintf("%s writes %q to %s with state %s, which clause cannot resolve: if it is written, %s%s", [ans.name(t), d.line, file, ans.shown(t.args.state), effects[o], scope(d.scope)]),
	"path": ans.arg_path(i, e.key),
} if {
	some i, t in ans.tasks_in(edit_modules)
	file := sudoers_file(t)
	ans.removal_unknown(t)
	some e in ans.edit_texts(t)
	some d in defaults(e.value)
	some o in d.options
	effects[o]
}

inconclusive contains {
	"msg": sprintf("%s writes %q to %s, and clause cannot resolve its options: sudo logging may be turned off", [ans.name(t), d.line, file]),
	"path": ans.arg_path(i, e.key),
} if {
	some i, t in ans.tasks_in(edit_modules)
	file := sudoers_file(t)
	not ans.removes(t)
	some e in ans.edit_texts(t)
	some d in defaults(e.value)
	some o in d.options
	regex.match(`^!?\{\{`, o)
}

inconclusive contains {
	"msg": sprintf("%s writes %s to %s, which clause cannot resolve: it may turn sudo logging off", [ans.name(t), e.value.__unknown__, file]),
	"path": ans.arg_path(i, e.key),
} if {
	some i, t in ans.tasks_in(edit_modules)
	file := sudoers_file(t)
	not ans.removes(t)
	some e in ans.edit_texts(t)
	ans.unknown(e.value)
}

sudoers_file(t) := ans.edited_file(t, `(/sudoers$|/sudoers\.d/)`)

# defaults(text): the Defaults lines of a sudoers text, as {"line", "scope"
# (":alice", "@host", ">root", "!/bin/ls" or ""), "options" (trimmed, spaces
# around `!` removed)}.
defaults(text) := {{"line": line, "scope": m[0][1], "options": options} |
	some line in ans.written_text_lines(text)
	m := regex.find_all_string_submatch_n(`^Defaults([:@>!][^[:space:]]+)?[[:space:]]+(.*)$`, line, 1)
	count(m) == 1
	body := regex.replace(m[0][2], `[[:space:]]+#.*$`, "")
	options := {regex.replace(trim_space(o), `^!+[[:space:]]*`, "!") | some o in split(body, ",")}
}

scope("") := ""

scope(s) := sprintf(" (for %s)", [substring(s, 1, -1)]) if startswith(s, ":")

scope(s) := sprintf(" (on host %s)", [substring(s, 1, -1)]) if startswith(s, "@")

scope(s) := sprintf(" (when running as %s)", [substring(s, 1, -1)]) if startswith(s, ">")

scope(s) := sprintf(" (for the command %s)", [substring(s, 1, -1)]) if startswith(s, "!")
