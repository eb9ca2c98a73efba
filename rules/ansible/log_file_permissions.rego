# METADATA
# title: Log files readable or writable by every local user
# description: >-
#   Logs hold what an attacker wants to read (user names, source addresses,
#   session identifiers, the odd password typed into a user name prompt,
#   application tokens in request logs) and what they want to change (their
#   own traces). A log file every local account can read discloses it to any
#   compromised service; one every account can write can be falsified or
#   wiped. ISO/IEC 27002 10.10.3 asks that logging facilities and log
#   information be protected against tampering and unauthorized access. The
#   rule reads modes set on files under /var/log (wtmp and lastlog, readable
#   by design for `last` and `lastlog`, are only flagged when writable), the
#   mode rsyslog creates its files with (`$FileCreateMode`, `FileCreateMode=`)
#   and syslog-ng's `perm()`. Directories are not flagged here (a world-writable
#   one is, by CL-ANS-003). Modes are judged as Ansible resolves them; a mode
#   clause cannot resolve is an inconclusive check.
# custom:
#   id: CL-ANS-029
#   severity: medium
#   targets: [ansible]
#   controls:
#     iso27002:2005: ["10.10.3"]
#     iso27002:2022: ["8.15"]
#   remediation: >-
#     Use `mode: "0640"` (or stricter) with `group: adm` (Debian) or the group
#     of the service that reads the logs; in rsyslog write `$FileCreateMode
#     0640`, in syslog-ng `perm(0640)`, and let users in the adm group read
#     logs instead of everyone.
#   applies_to: [ansible.builtin.file, ansible.builtin.copy, ansible.builtin.template, ansible.builtin.get_url, ansible.builtin.assemble, ansible.builtin.uri, ansible.builtin.lineinfile, ansible.builtin.blockinfile, ansible.builtin.replace, community.general.ini_file, community.general.htpasswd, community.general.xml, community.general.archive, community.crypto.openssl_privatekey, community.crypto.openssl_privatekey_convert, community.crypto.openssh_keypair, community.crypto.openssl_pkcs12, community.crypto.x509_certificate]
#   mentions: [/var/log/, syslog]
package clause.rules.ansible.log_file_permissions

import data.clause.lib.ansible as ans
import data.clause.lib.ansible.edit_modules
import data.clause.lib.ansible.target_modules
import rego.v1

deny contains {
	"msg": sprintf("%s sets the mode of log file %s to %s, which lets %s", [ans.name(t), file, ans.mode_text(t.args.mode), access(t.args.mode)]),
	"path": ans.arg_path(i, "mode"),
	"label": "log open to every user",
} if {
	some i, t in ans.tasks_in(target_modules)
	t.args.mode in open_modes
	file := log_file(t)
	exposed(file, t.args.mode)
}

inconclusive contains {
	"msg": sprintf("%s sets the mode of log file %s to %s, which clause cannot resolve: every local user may be able to read or change it", [ans.name(t), file, ans.shown(t.args.mode)]),
	"path": ans.arg_path(i, "mode"),
} if {
	some i, t in ans.tasks_in(target_modules)
	t.args.mode in templated_modes
	file := log_file(t)
}

# The modes the file tasks set, judged once each (a playbook's thousands of
# file tasks share a few dozen): those granting others any access, and
# those clause could not resolve.
modes := {m | some t in ans.tasks_in(target_modules); m := t.args.mode}

open_modes := {m |
	some m in modes
	some perm in ["r", "w"]
	ans.mode_grants(m, "o", perm)
}

templated_modes := {m |
	some m in modes
	ans.templated(m)
}

# rsyslog and syslog-ng: the mode new log files are created with.
deny contains {
	"msg": sprintf("%s writes %q to %s, so %s creates log files that let %s", [ans.name(t), s.line, conf.file, conf.daemon, access_all(s.mode)]),
	"path": ans.arg_path(i, e.key),
	"label": "log open to every user",
} if {
	some i, t in ans.tasks_in(edit_modules)
	conf := syslog_conf(t)
	ans.writes(t)
	some e in ans.edit_texts(t)
	some s in create_modes(e.value)
	exposed("", s.mode)
}

inconclusive contains {
	"msg": sprintf("%s writes %q to %s, and clause cannot resolve the mode: %s may create log files every local user can read", [ans.name(t), s.line, conf.file, conf.daemon]),
	"path": ans.arg_path(i, e.key),
} if {
	some i, t in ans.tasks_in(edit_modules)
	conf := syslog_conf(t)
	not ans.removes(t)
	some e in ans.edit_texts(t)
	some s in create_modes(e.value)
	ans.value_unresolved(s.mode)
}

# log_file(t): a file under /var/log the task sets the mode of.
log_file(t) := files[0] if {
	not ans.directory(t)
	files := [p | some p in ans.target_paths(t); startswith(p, "/var/log/"); not endswith(p, "/")]
	count(files) > 0
}

# Others may read (except the login records meant to be read) or write.
exposed(file, mode) if {
	ans.mode_grants(mode, "o", "r")
	not login_record(file)
}

exposed(_, mode) if ans.mode_grants(mode, "o", "w")

login_record(file) if regex.match(`^/var/log/(wtmp|lastlog)(\.[0-9]+)?$`, file)

access(mode) := "every local user read and change it" if {
	ans.mode_grants(mode, "o", "r")
	ans.mode_grants(mode, "o", "w")
} else := "every local user read it" if {
	ans.mode_grants(mode, "o", "r")
} else := "every local user change it"

access_all(mode) := "every local user read and change them" if {
	ans.mode_grants(mode, "o", "r")
	ans.mode_grants(mode, "o", "w")
} else := "every local user read them" if {
	ans.mode_grants(mode, "o", "r")
} else := "every local user change them"

syslog_conf(t) := {"file": f, "daemon": "rsyslog"} if {
	f := ans.edited_file(t, `(^/etc/rsyslog\.conf$|^/etc/rsyslog\.d/)`)
} else := {"file": f, "daemon": "syslog-ng"} if {
	f := ans.edited_file(t, `(^/etc/syslog-ng/)`)
}

# create_modes(text): each mode a syslog configuration gives new files, as
# {"line", "mode"} with the mode as an octal string. Commented lines are skipped.
create_modes(text) := {{"line": line, "mode": m[0][1]} |
	some line in ans.written_text_lines(text)
	not startswith(line, "#")
	m := regex.find_all_string_submatch_n(`(?i)(?:^\$filecreatemode[[:space:]]+|filecreatemode[[:space:]]*=[[:space:]]*"|\bperm\([[:space:]]*)([0-7]{3,4}|\{\{[^}]*\}\})`, line, 1)
	count(m) == 1
}
