# METADATA
# title: Automatic security updates turned off
# description: >-
#   Most compromises exploit vulnerabilities that already have a fix; hosts
#   that install security updates automatically (unattended-upgrades on
#   Debian and Ubuntu, dnf-automatic or yum-cron on Red Hat family systems,
#   Windows Update) close that window within a day, while hosts that wait for
#   someone to remember stay exposed for weeks. Removing those packages,
#   stopping or disabling their timers and services, writing
#   `APT::Periodic::Unattended-Upgrade "0"` (or `Update-Package-Lists "0"`),
#   answering the unattended-upgrades debconf question with false, or setting
#   Windows Update's `NoAutoUpdate` policy turns that off. ISO/IEC 27002
#   12.6.1 asks that technical vulnerabilities be addressed in a timely way
#   by applying the patches available. Stopping the unattended-upgrades
#   service itself is not flagged: it only finishes upgrades at shutdown, the
#   apt-daily-upgrade timer runs them. A state, package or service name, or a
#   value clause cannot resolve is an inconclusive check.
# custom:
#   id: CL-ANS-024
#   severity: medium
#   targets: [ansible]
#   controls:
#     iso27002:2005: ["12.6.1"]
#     iso27002:2022: ["8.8"]
#   remediation: >-
#     Keep the automatic updater installed and enabled: on Debian and Ubuntu
#     install unattended-upgrades and write `APT::Periodic::Update-Package-Lists
#     "1";` and `APT::Periodic::Unattended-Upgrade "1";` to
#     /etc/apt/apt.conf.d/20auto-upgrades; on Red Hat family systems install
#     dnf-automatic, set `apply_updates = yes` with `upgrade_type = security`
#     in /etc/dnf/automatic.conf and enable dnf-automatic.timer. Control
#     reboots and maintenance windows instead of disabling updates.
#   applies_to: [ansible.builtin.apt, ansible.builtin.dnf, ansible.builtin.dnf5, ansible.builtin.yum, ansible.builtin.package, ansible.builtin.service, ansible.builtin.systemd, ansible.builtin.systemd_service, ansible.builtin.debconf, ansible.builtin.lineinfile, ansible.builtin.blockinfile, ansible.builtin.copy, ansible.builtin.replace, ansible.windows.win_regedit, ansible.windows.win_service, ansible.builtin.sysvinit, community.general.apk, community.general.pacman, community.general.zypper]
package clause.rules.ansible.automatic_updates_disabled

import data.clause.lib.ansible as ans
import data.clause.lib.ansible.edit_modules
import data.clause.lib.ansible.package_modules
import data.clause.lib.ansible.service_modules
import rego.v1

updater_packages := {"unattended-upgrades", "dnf-automatic", "dnf5-plugin-automatic", "yum-cron"}

# Units that run the updates (not unattended-upgrades.service, a shutdown hook).
updater_units := {
	"apt-daily-upgrade.timer", "apt-daily-upgrade", "apt-daily.timer",
	"dnf-automatic.timer", "dnf-automatic-install.timer", "dnf5-automatic.timer", "yum-cron",
}

deny contains {
	"msg": sprintf("%s removes %s, so security updates are no longer installed automatically", [ans.name(t), p.name]),
	"path": array.concat(["tasks", i, "args"], p.path),
	"label": "automatic updates off",
} if {
	some i, t in ans.tasks_in(package_modules)
	ans.package_removed(t)
	some p in ans.packages(t)
	p.name in updater_packages
}

inconclusive contains {
	"msg": sprintf("%s sets the state of %s to %s, which clause cannot resolve: it may remove the automatic updater", [ans.name(t), p.name, ans.shown(t.args.state)]),
	"path": ans.arg_path(i, "state"),
} if {
	some i, t in ans.tasks_in(package_modules)
	ans.templated(t.args.state)
	some p in ans.packages(t)
	p.name in updater_packages
}

deny contains {
	"msg": sprintf("%s %s %s, so security updates are no longer installed automatically", [ans.name(t), verb, unit]),
	"path": ans.arg_path(i, key),
	"label": "automatic updates off",
} if {
	some i, t in ans.tasks_in(service_modules)
	unit := ans.service_name(t)
	unit in updater_units
	[key, verb] := ans.service_off(t)
}

inconclusive contains {
	"msg": sprintf("%s sets %s's %s to %s, which clause cannot resolve: it may turn automatic updates off", [ans.name(t), unit, u.key, ans.shown(u.value)]),
	"path": ans.arg_path(i, u.key),
} if {
	some i, t in ans.tasks_in(service_modules)
	unit := ans.service_name(t)
	unit in updater_units
	some u in ans.service_off_unknown(t)
}

# APT periodic settings.
deny contains {
	"msg": sprintf("%s writes %q to %s, so %s", [ans.name(t), line, file, apt_effect(setting)]),
	"path": ans.arg_path(i, e.key),
	"label": "automatic updates off",
} if {
	some i, t in ans.tasks_in(edit_modules)
	file := ans.edited_file(t, `^/etc/apt/apt\.conf(\.d/.*)?$`)
	ans.writes(t)
	some e in ans.edit_texts(t)
	some line in ans.written_text_lines(e.value)
	some setting in apt_periodic_off(line)
}

inconclusive contains {
	"msg": sprintf("%s writes %q to %s, and clause cannot resolve the value: automatic updates may be off", [ans.name(t), line, file]),
	"path": ans.arg_path(i, e.key),
} if {
	some i, t in ans.tasks_in(edit_modules)
	file := ans.edited_file(t, `^/etc/apt/apt\.conf(\.d/.*)?$`)
	not ans.removes(t)
	some e in ans.edit_texts(t)
	some line in ans.written_text_lines(e.value)
	regex.match(`(?i)^APT::Periodic::(Unattended-Upgrade|Update-Package-Lists)\s+"?\{\{`, line)
}

apt_periodic_off(line) := {lower(m[1]) |
	some m in regex.find_all_string_submatch_n(`(?i)APT::Periodic::(Unattended-Upgrade|Update-Package-Lists)\s+"0+"\s*;`, line, -1)
}

apt_effect("unattended-upgrade") := "apt no longer installs updates automatically"

apt_effect("update-package-lists") := "apt stops refreshing its package lists and automatic upgrades find nothing new"

# debconf: unattended-upgrades/enable_auto_updates false.
deny contains {
	"msg": sprintf("%s answers unattended-upgrades/enable_auto_updates with %v, so security updates are no longer installed automatically", [ans.name(t), t.args.value]),
	"path": ans.arg_path(i, "value"),
	"label": "automatic updates off",
} if {
	some i, t in ans.tasks_in({"ansible.builtin.debconf"})
	t.args.question == "unattended-upgrades/enable_auto_updates"
	ans.is_false(t.args.value)
}

inconclusive contains {
	"msg": sprintf("%s answers unattended-upgrades/enable_auto_updates with %s, which clause cannot resolve: automatic updates may be off", [ans.name(t), ans.shown(t.args.value)]),
	"path": ans.arg_path(i, "value"),
} if {
	some i, t in ans.tasks_in({"ansible.builtin.debconf"})
	t.args.question == "unattended-upgrades/enable_auto_updates"
	ans.templated(t.args.value)
}

# Windows Update: NoAutoUpdate policy, or the wuauserv service disabled.
deny contains {
	"msg": sprintf("%s sets the Windows Update policy NoAutoUpdate to %v, so updates are no longer installed automatically", [ans.name(t), t.args.data]),
	"path": ans.arg_path(i, "data"),
	"label": "automatic updates off",
} if {
	some i, t in ans.tasks_in({"ansible.windows.win_regedit"})
	windows_update_policy(t)
	is_string(t.args.name)
	lower(t.args.name) == "noautoupdate"
	t.args.data in {1, "1", "0x1", "0x00000001"}
	not t.args.state == "absent"
}

windows_update_policy(t) if {
	is_string(t.args.path)
	contains(lower(t.args.path), `\policies\microsoft\windows\windowsupdate\au`)
}

deny contains {
	"msg": sprintf("%s %s the Windows Update service, so updates are no longer installed", [ans.name(t), verb]),
	"path": ans.arg_path(i, key),
	"label": "automatic updates off",
} if {
	some i, t in ans.tasks_in({"ansible.windows.win_service"})
	is_string(t.args.name)
	lower(t.args.name) == "wuauserv"
	[key, verb] := win_service_off(t)
}

win_service_off(t) := ["start_mode", "disables"] if {
	t.args.start_mode == "disabled"
} else := ["state", "stops"] if {
	t.args.state in {"stopped", "absent"}
}
