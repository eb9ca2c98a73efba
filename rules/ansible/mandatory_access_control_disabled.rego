# METADATA
# title: SELinux or AppArmor turned off
# description: >-
#   SELinux and AppArmor confine each service to the files, ports and
#   capabilities its policy allows, so a compromised web server or database
#   cannot read other services' data, write system files or pivot, even when
#   it runs as root. Setting SELinux to disabled or permissive (with
#   ansible.posix.selinux, in /etc/selinux/config, with `setenforce 0` or the
#   `selinux=0` kernel argument), making a domain permissive, or stopping
#   AppArmor removes that confinement for the whole host. ISO/IEC 27002 11.6.1
#   asks that access to information and system functions be restricted
#   according to the access control policy, and 10.4.1 for controls that
#   limit what malicious code can do once it runs. Values are judged as
#   Ansible resolves them; a state, SELINUX= value or command clause cannot
#   resolve is an inconclusive check.
# custom:
#   id: CL-ANS-012
#   severity: medium
#   targets: [ansible]
#   controls:
#     iso27002:2005: ["11.6.1", "10.4.1"]
#     iso27002:2022: ["8.3", "8.7"]
#   remediation: >-
#     Keep SELinux enforcing (`ansible.posix.selinux: {policy: targeted, state:
#     enforcing}`) and fix denials instead: set the booleans
#     (ansible.posix.seboolean), file contexts (community.general.sefcontext)
#     or ports (community.general.seport) the application needs. Keep the
#     apparmor service enabled and adjust the profile rather than disabling it.
#   applies_to: [ansible.posix.selinux, community.general.selinux_permissive, ansible.builtin.lineinfile, ansible.builtin.replace, ansible.builtin.copy, ansible.builtin.blockinfile, ansible.builtin.service, ansible.builtin.systemd, ansible.builtin.systemd_service, ansible.builtin.shell, ansible.builtin.command, ansible.builtin.raw, ansible.builtin.script, ansible.builtin.sysvinit, ansible.windows.win_command, ansible.windows.win_shell]
package clause.rules.ansible.mandatory_access_control_disabled

import data.clause.lib.ansible as ans
import data.clause.lib.ansible.command_modules
import data.clause.lib.ansible.edit_modules
import rego.v1

deny contains {
	"msg": sprintf("%s sets SELinux to %s, so services are no longer confined", [ans.name(t), t.args.state]),
	"path": ans.arg_path(i, "state"),
	"label": "SELinux not enforcing",
} if {
	some i, t in ans.tasks_in({"ansible.posix.selinux"})
	t.args.state in {"disabled", "permissive"}
}

deny contains {
	"msg": sprintf("%s makes the SELinux domain %s permissive, so it is no longer confined", [ans.name(t), domain(t)]),
	"path": ans.arg_path(i, "permissive"),
	"label": "SELinux domain permissive",
} if {
	some i, t in ans.tasks_in({"community.general.selinux_permissive"})
	ans.is_true(t.args.permissive)
}

# /etc/selinux/config edited directly.
deny contains {
	"msg": sprintf("%s writes %q to %s, so SELinux stops enforcing after the next boot", [ans.name(t), trim_space(line), file]),
	"path": ans.arg_path(i, e.key),
	"label": "SELinux not enforcing",
} if {
	some i, t in ans.tasks_in(edit_modules)
	file := selinux_config(t)
	not ans.removes(t)
	not ans.removal_unknown(t)
	some e in ans.edit_texts(t)
	some line in selinux_lines(e.value)
	regex.match(`^[[:space:]]*selinux[[:space:]]*=[[:space:]]*["']?(disabled|permissive)["']?[[:space:]]*(#.*)?$`, lower(line))
}

selinux_config(t) := files[0] if {
	t.module in edit_modules
	files := sort([f.value |
		some f in ans.edited_files(t)
		is_string(f.value)
		endswith(f.value, "selinux/config")
	])
	count(files) > 0
}

selinux_lines(text) := {line |
	is_string(text)
	some line in ans.lines(text)
	regex.match(`^[[:space:]]*selinux[[:space:]]*=`, lower(line))
}

# AppArmor service stopped, disabled or masked.
deny contains {
	"msg": sprintf("%s %s AppArmor, so its profiles no longer confine services", [ans.name(t), verb]),
	"path": ans.arg_path(i, key),
	"label": "AppArmor off",
} if {
	some i, t in ans.tasks_in(service_modules)
	apparmor(t)
	[key, verb] := turned_off(t)
}

service_modules := {"ansible.builtin.service", "ansible.builtin.systemd", "ansible.builtin.systemd_service", "ansible.builtin.sysvinit"}

apparmor(t) if {
	is_string(t.args.name)
	trim_suffix(lower(trim_space(t.args.name)), ".service") == "apparmor"
}

# Commands: setenforce 0, aa-teardown, selinux=0 / apparmor=0 kernel arguments.
deny contains {
	"msg": sprintf("%s %s", [ans.name(t), what]),
	"path": array.concat(["tasks", i, "args"], c.path),
	"label": "mandatory access control off",
} if {
	some i, t in ans.tasks_in(command_modules)
	some c in commands(t)
	what := command_effect(lower(c.text))
}

command_effect(cmd) := "switches SELinux to permissive mode with setenforce" if {
	regex.match(`(^|[^a-z0-9_-])setenforce[[:space:]]+(0|permissive)([[:space:]]|$|;|&|\))`, cmd)
} else := "unloads every AppArmor profile with aa-teardown" if {
	regex.match(`(^|[^a-z0-9_-])aa-teardown([[:space:]]|$|;|&|\))`, cmd)
} else := "adds a kernel argument that turns SELinux or AppArmor off at boot" if {
	regex.match(`(^|[[:space:]"'])(selinux|apparmor|enforcing)=0([[:space:]"']|$)`, cmd)
}

commands(t) := ans.commands(t)

turned_off(t) := ["state", "stops"] if {
	t.args.state == "stopped"
} else := ["masked", "masks"] if {
	ans.is_true(t.args.masked)
} else := ["enabled", "disables"] if {
	ans.is_false(t.args.enabled)
}

domain(t) := t.args.domain if is_string(t.args.domain)

domain(t) := t.args.name if {
	not is_string(t.args.domain)
	is_string(t.args.name)
}

domain(t) := "(unnamed)" if {
	not is_string(t.args.domain)
	not is_string(t.args.name)
}

# Checks clause cannot decide because the deciding value is unresolved: the
# SELinux state, a domain's permissive flag, the SELINUX= line of
# /etc/selinux/config (or the whole text written there), whether AppArmor is
# stopped, or a whole command.
inconclusive contains {
	"msg": sprintf("%s sets SELinux to %s, which clause cannot resolve: it may stop enforcing", [ans.name(t), ans.shown(t.args.state)]),
	"path": ans.arg_path(i, "state"),
} if {
	some i, t in ans.tasks_in({"ansible.posix.selinux"})
	ans.templated(t.args.state)
}

inconclusive contains {
	"msg": sprintf("%s sets permissive to %s for SELinux domain %s, which clause cannot resolve", [ans.name(t), ans.shown(t.args.permissive), domain(t)]),
	"path": ans.arg_path(i, "permissive"),
} if {
	some i, t in ans.tasks_in({"community.general.selinux_permissive"})
	ans.templated(t.args.permissive)
}

inconclusive contains {
	"msg": sprintf("%s writes %q to %s, and clause cannot resolve the value: SELinux may stop enforcing after the next boot", [ans.name(t), trim_space(line), file]),
	"path": ans.arg_path(i, e.key),
} if {
	some i, t in ans.tasks_in(edit_modules)
	file := selinux_config(t)
	not ans.removes(t)
	some e in ans.edit_texts(t)
	some line in selinux_lines(e.value)
	regex.match(`^[^#]*(\{\{|\{%)`, line)
}

inconclusive contains {
	"msg": sprintf("%s writes %s to %s, which clause cannot resolve: SELinux may stop enforcing after the next boot", [ans.name(t), e.value.__unknown__, file]),
	"path": ans.arg_path(i, e.key),
} if {
	some i, t in ans.tasks_in(edit_modules)
	file := selinux_config(t)
	not ans.removes(t)
	some e in ans.edit_texts(t)
	ans.unknown(e.value)
}

inconclusive contains {
	"msg": sprintf("%s sets AppArmor's %s to %s, which clause cannot resolve: AppArmor may be turned off", [ans.name(t), key, ans.shown(t.args[key])]),
	"path": ans.arg_path(i, key),
} if {
	some i, t in ans.tasks_in(service_modules)
	apparmor(t)
	not turned_off(t)
	some key in ["state", "enabled", "masked"]
	ans.templated(t.args[key])
}

inconclusive contains {
	"msg": sprintf("%s runs %s, which clause cannot resolve: it may turn SELinux or AppArmor off", [ans.name(t), c.text]),
	"path": array.concat(["tasks", i, "args"], c.path),
} if {
	some i, t in ans.tasks_in({"ansible.builtin.shell", "ansible.builtin.command", "ansible.builtin.raw"})
	some c in ans.unknown_commands(t)
}
