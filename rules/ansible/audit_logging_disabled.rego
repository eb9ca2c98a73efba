# METADATA
# title: Audit or system logging turned off
# description: >-
#   auditd records who ran what, changed which file and used which privilege,
#   and the syslog daemon (rsyslog, syslog-ng) with the systemd journal keeps
#   the log-ons, sudo use, service events and errors of the host. Stopping,
#   disabling, masking or removing them, `auditctl -e 0`, an audit rules file
#   ending in `-e 0`, the `audit=0` kernel argument or journald's
#   `Storage=none` leave no record of what happens next, which is exactly what
#   an intruder wants and what an investigation needs. ISO/IEC 27002 10.10.1
#   asks that audit logs recording user activities, exceptions and security
#   events be produced and kept. Stopping or removing one syslog daemon is not
#   flagged when the same run (the playbook with its roles and included files)
#   starts or installs another. A state, service or package name clause
#   cannot resolve is an inconclusive check.
# custom:
#   id: CL-ANS-013
#   severity: medium
#   targets: [ansible]
#   controls:
#     iso27002:2005: ["10.10.1"]
#     iso27002:2022: ["8.15"]
#   remediation: >-
#     Keep auditd and the syslog daemon installed, running and enabled
#     (`ansible.builtin.service: {name: auditd, state: started, enabled: true}`),
#     keep `Storage=persistent` (or auto with /var/log/journal present) in
#     journald.conf, end audit rules with `-e 1` or `-e 2`, and tune noisy
#     audit rules instead of turning auditing off.
#   applies_to: [ansible.builtin.service, ansible.builtin.systemd, ansible.builtin.systemd_service, ansible.builtin.sysvinit, ansible.builtin.apt, ansible.builtin.dnf, ansible.builtin.dnf5, ansible.builtin.yum, ansible.builtin.package, community.general.zypper, ansible.builtin.lineinfile, ansible.builtin.blockinfile, ansible.builtin.copy, ansible.builtin.replace, community.general.ini_file, ansible.builtin.shell, ansible.builtin.command, ansible.builtin.raw, ansible.builtin.script, ansible.windows.win_command, ansible.windows.win_shell, community.general.apk, community.general.pacman]
package clause.rules.ansible.audit_logging_disabled

import data.clause.lib.ansible as ans
import data.clause.lib.ansible.command_modules
import data.clause.lib.ansible.edit_modules
import data.clause.lib.ansible.package_modules
import data.clause.lib.ansible.service_modules
import rego.v1

# Logging services, by unit name, with the role they play.
audit_units := {"auditd"}

syslog_units := {"rsyslog", "syslog-ng", "syslog", "sysklogd", "systemd-journald"}

# syslog daemons one can replace with another.
replaceable := {"rsyslog", "syslog-ng", "syslog", "sysklogd"}

logging_packages := {
	"auditd": "auditd", "audit": "auditd", "rsyslog": "rsyslog", "syslog-ng": "syslog-ng",
	"syslog-ng-core": "syslog-ng", "sysklogd": "sysklogd",
}

# --- Services --------------------------------------------------------------

deny contains {
	"msg": sprintf("%s %s %s, so %s", [ans.name(t), verb, unit, consequence(unit)]),
	"path": ans.arg_path(i, key),
	"label": "logging off",
} if {
	some [i, t, unit] in logging_services
	[key, verb] := ans.service_off(t)
	not replaced(unit)
}

inconclusive contains {
	"msg": sprintf("%s sets %s's %s to %s, which clause cannot resolve: it may turn %s off", [ans.name(t), unit, u.key, ans.shown(u.value), unit]),
	"path": ans.arg_path(i, u.key),
} if {
	some [i, t, unit] in logging_services
	some u in ans.service_off_unknown(t)
	not replaced(unit)
}

# The service tasks managing a logging unit, found once for both checks.
logging_services contains [i, t, unit] if {
	some i, t in ans.tasks_in(service_modules)
	unit := ans.service_name(t)
	logging_unit(unit)
}

inconclusive contains {
	"msg": sprintf("%s %s the service %s, which clause cannot resolve: it may be auditd or the syslog daemon", [ans.name(t), verb, ans.shown(t.args.name)]),
	"path": ans.arg_path(i, "name"),
} if {
	some i, t in ans.tasks_in(service_modules)
	ans.templated(t.args.name)
	[_, verb] := ans.service_off(t)
}

logging_unit(unit) if unit in audit_units

logging_unit(unit) if unit in syslog_units

consequence(unit) := "the kernel's audit events (logins, privilege use, file changes) are no longer recorded" if {
	unit in audit_units
} else := "the host's system logs are no longer recorded" if {
	unit == "systemd-journald"
} else := "the host's system logs are no longer written, and nothing else in this run replaces it"

# Another syslog daemon started, enabled or installed in the same run.
replaced(unit) if {
	unit in replaceable
	some t in ans.tasks_in(service_modules)
	other := ans.service_name(t)
	other in replaceable
	other != unit
	ans.service_on(t)
}

replaced(unit) if {
	unit in replaceable
	some t in ans.tasks_in(package_modules)
	ans.package_installed(t)
	some p in ans.packages(t)
	other := logging_packages[p.name]
	other in replaceable
	other != unit
}

# --- Packages --------------------------------------------------------------

deny contains {
	"msg": sprintf("%s removes the %s package, so %s", [ans.name(t), p.name, consequence(unit)]),
	"path": array.concat(["tasks", i, "args"], p.path),
	"label": "logging removed",
} if {
	some i, t in ans.tasks_in(package_modules)
	ans.package_removed(t)
	some p in ans.packages(t)
	unit := logging_packages[p.name]
	not replaced(unit)
}

inconclusive contains {
	"msg": sprintf("%s sets the state of the %s package to %s, which clause cannot resolve: it may remove it", [ans.name(t), p.name, ans.shown(t.args.state)]),
	"path": ans.arg_path(i, "state"),
} if {
	some i, t in ans.tasks_in(package_modules)
	ans.templated(t.args.state)
	some p in ans.packages(t)
	unit := logging_packages[p.name]
	not replaced(unit)
}

# --- Configuration files ---------------------------------------------------

deny contains {
	"msg": sprintf("%s writes %q to %s, so %s", [ans.name(t), line, file, what]),
	"path": ans.arg_path(i, e.key),
	"label": "logging off",
} if {
	some [i, t, file, kind] in config_edits
	ans.writes(t)
	some e in ans.edit_texts(t)
	some line in ans.written_text_lines(e.value)
	what := disables(kind, line)
}

inconclusive contains {
	"msg": sprintf("%s writes %q to %s with state %s, which clause cannot resolve: if it is written, %s", [ans.name(t), line, file, ans.shown(t.args.state), what]),
	"path": ans.arg_path(i, e.key),
} if {
	some [i, t, file, kind] in config_edits
	ans.removal_unknown(t)
	some e in ans.edit_texts(t)
	some line in ans.written_text_lines(e.value)
	what := disables(kind, line)
}

inconclusive contains {
	"msg": sprintf("%s writes %q to %s, and clause cannot resolve the value: it may turn logging off", [ans.name(t), line, file]),
	"path": ans.arg_path(i, e.key),
} if {
	some [i, t, file, kind] in config_edits
	not ans.removes(t)
	some e in ans.edit_texts(t)
	some line in ans.written_text_lines(e.value)
	unresolved_setting(kind, line)
}

# The tasks editing journald, audit rules or grub configuration, found
# once for the three checks above.
config_edits contains [i, t, file, kind] if {
	some i, t in ans.tasks_in(edit_modules)
	[file, kind] := config_file(t)
}

config_file(t) := [f, "journald"] if {
	f := ans.edited_file(t, `^/etc/systemd/journald\.conf(\.d/.*)?$`)
} else := [f, "audit_rules"] if {
	f := ans.edited_file(t, `^/etc/audit/(audit\.rules|rules\.d/.*\.rules)$`)
} else := [f, "grub"] if {
	f := ans.edited_file(t, `^/etc/default/grub(\.d/.*)?$`)
}

disables("journald", line) := "journald keeps no logs at all" if {
	regex.match(`^[[:space:]]*Storage[[:space:]]*=[[:space:]]*none[[:space:]]*$`, line)
}

disables("audit_rules", line) := "the audit rules load with auditing disabled" if {
	regex.match(`^[[:space:]]*-e[[:space:]]+0[[:space:]]*$`, line)
}

disables("grub", line) := "the kernel boots with auditing disabled" if {
	regex.match(`^[[:space:]]*GRUB_CMDLINE_LINUX(_DEFAULT)?=.*(^|["'[:space:]])audit=0([[:space:]"']|$)`, line)
}

unresolved_setting("journald", line) if regex.match(`^[[:space:]]*Storage[[:space:]]*=[^#]*\{\{`, line)

unresolved_setting("audit_rules", line) if regex.match(`^[[:space:]]*-e[[:space:]]+\{\{`, line)

# journald.conf through community.general.ini_file.
deny contains {
	"msg": sprintf("%s sets Storage=none in %s, so journald keeps no logs at all", [ans.name(t), file]),
	"path": ans.arg_path(i, "value"),
	"label": "logging off",
} if {
	some i, t in ans.tasks_in({"community.general.ini_file"})
	file := journald_ini(t)
	is_string(t.args.option)
	lower(t.args.option) == "storage"
	is_string(t.args.value)
	lower(trim_space(t.args.value)) == "none"
	not t.args.state == "absent"
}

inconclusive contains {
	"msg": sprintf("%s sets Storage to %s in %s, which clause cannot resolve: journald may keep no logs at all", [ans.name(t), ans.shown(t.args.value), file]),
	"path": ans.arg_path(i, "value"),
} if {
	some i, t in ans.tasks_in({"community.general.ini_file"})
	file := journald_ini(t)
	is_string(t.args.option)
	lower(t.args.option) == "storage"
	ans.templated(t.args.value)
}

journald_ini(t) := f if {
	some key in ["path", "dest"]
	f := t.args[key]
	is_string(f)
	regex.match(`^/etc/systemd/journald\.conf(\.d/.*)?$`, f)
}

# --- Commands --------------------------------------------------------------

deny contains {
	"msg": sprintf("%s runs %q, so %s", [ans.name(t), m.text, m.what]),
	"path": array.concat(["tasks", i, "args"], c.path),
	"label": "logging off",
} if {
	some i, t in ans.tasks_in(command_modules)
	# Every command command_effects matches names auditctl, audit=0,
	# auditd, rsyslog, syslog-ng or systemd-journald.
	regex.match(`audit|syslog|journald`, json.marshal(t.args))
	some c in ans.commands(t)
	some m in command_effects(c.text)
}

command_effects(text) := {{"text": trim_space(m[0]), "what": "the kernel stops recording audit events"} |
	some m in regex.find_all_string_submatch_n(`(?:^|[;&|(\s])(?:sudo\s+)?auditctl\s+(?:-[A-Za-z]+\s+\S+\s+)*-e\s*0(?:\s|$|;)`, text, -1)
} | {{"text": trim_space(m[0]), "what": "the kernel boots with auditing disabled"} |
	some m in regex.find_all_string_submatch_n(`(?:^|[;&|(\s])(?:sudo\s+)?grubby\s[^;&|]*--args[= ]["']?[^;&|]*\baudit=0\b[^;&|]*`, text, -1)
} | {{"text": trim_space(m[0]), "what": sprintf("%s no longer runs and records nothing", [m[2]])} |
	some m in regex.find_all_string_submatch_n(`(?:^|[;&|(\s])(?:sudo\s+)?systemctl\s+(?:--[a-z-]+\s+)*(stop|disable|mask)\s+(?:--now\s+)?(auditd|rsyslog|syslog-ng|systemd-journald)(?:\.service)?\b`, text, -1)
	not replaced(m[2])
} | {{"text": trim_space(m[0]), "what": sprintf("%s no longer runs and records nothing", [m[1]])} |
	some m in regex.find_all_string_submatch_n(`(?:^|[;&|(\s])(?:sudo\s+)?service\s+(auditd|rsyslog|syslog-ng)\s+stop\b`, text, -1)
	not replaced(m[1])
}
