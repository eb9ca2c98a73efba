# METADATA
# title: Host firewall turned off
# description: >-
#   Stopping or disabling the host firewall (ufw, firewalld, iptables or
#   nftables services, the Windows firewall) or making ufw accept all incoming
#   traffic by default exposes every listening service on the host, including
#   ones bound to all interfaces by accident, to every network the host can
#   reach. ISO/IEC 27002 10.6.1 asks that networks be controlled to protect the
#   systems on them, and 11.4.6 that the connections users and systems can make
#   be restricted; the host firewall is the last of those controls. Stopping
#   one firewall service is not flagged when the same run (the playbook with
#   its roles and included files) starts another (a switch from firewalld to
#   iptables, say) or manages iptables rules. A state, policy or service name
#   clause cannot resolve is an inconclusive check.
# custom:
#   id: CL-ANS-011
#   severity: medium
#   targets: [ansible]
#   controls:
#     iso27002:2005: ["10.6.1", "11.4.6"]
#     iso27002:2022: ["8.20"]
#   remediation: >-
#     Keep the firewall running and enabled (`state: started`, `enabled: true`;
#     ufw `state: enabled` with `policy: deny`) and open only the ports the host
#     serves: community.general.ufw `rule: allow port: "443"`, or
#     ansible.posix.firewalld `service: https permanent: true state: enabled`.
#   applies_to: [community.general.ufw, ansible.builtin.service, ansible.builtin.systemd, ansible.builtin.systemd_service, ansible.builtin.sysvinit, community.windows.win_firewall]
package clause.rules.ansible.firewall_disabled

import data.clause.lib.ansible as ans
import rego.v1

service_modules := {
	"ansible.builtin.service", "ansible.builtin.systemd", "ansible.builtin.systemd_service",
	"ansible.builtin.sysvinit",
}

firewall_services := {"ufw", "firewalld", "iptables", "ip6tables", "nftables", "netfilter-persistent", "shorewall", "shorewall6"}

deny contains {
	"msg": sprintf("%s disables ufw, leaving the host without a firewall", [ans.name(t)]),
	"path": ans.arg_path(i, "state"),
	"label": "firewall off",
} if {
	some i, t in ans.tasks_in({"community.general.ufw"})
	t.args.state == "disabled"
}

deny contains {
	"msg": sprintf("%s sets ufw's default incoming policy to allow, so every port is open unless a rule denies it", [ans.name(t)]),
	"path": ans.arg_path(i, key),
	"label": "default allow",
} if {
	some i, t in ans.tasks_in({"community.general.ufw"})
	some key in ["policy", "default"]
	t.args[key] == "allow"
	object.get(t.args, "direction", "incoming") in {"incoming", "in"}
}

# A firewall service stopped, disabled or masked: one finding per task, on
# the setting that does the most.
deny contains {
	"msg": sprintf("%s %s the %s firewall service, and nothing else in this run replaces it", [ans.name(t), verb, name]),
	"path": ans.arg_path(i, key),
	"label": "firewall off",
} if {
	some i, t in ans.tasks_in(service_modules)
	name := service_name(t)
	[key, verb] := turned_off(t)
	not replaced(name)
}

deny contains {
	"msg": sprintf("%s turns the Windows firewall off", [ans.name(t)]),
	"path": ans.arg_path(i, "state"),
	"label": "firewall off",
} if {
	some i, t in ans.tasks_in({"community.windows.win_firewall"})
	t.args.state == "disabled"
}

service_name(t) := name if {
	raw := t.args.name
	is_string(raw)
	name := trim_suffix(lower(trim_space(raw)), ".service")
	name in firewall_services
}

turned_off(t) := ["state", "stops"] if {
	t.args.state == "stopped"
} else := ["masked", "masks"] if {
	ans.is_true(t.args.masked)
} else := ["enabled", "disables"] if {
	ans.is_false(t.args.enabled)
}

# Another firewall started or enabled in the same run (the playbook with its
# roles and included files, or the task file on its own), or iptables rules
# managed directly: the firewall is being replaced, not removed.
replaced(name) if {
	some t in ans.tasks_in(service_modules)
	other := service_name(t)
	other != name
	turned_on(t)
}

replaced(_) if {
	some t in ans.tasks_in({"ansible.builtin.iptables", "community.general.nftables"})
}

turned_on(t) if t.args.state in {"started", "restarted", "reloaded"}

turned_on(t) if ans.is_true(t.args.enabled)

# Checks clause cannot decide because the deciding value is unresolved.
inconclusive contains {
	"msg": sprintf("%s sets ufw's state to %s, which clause cannot resolve: it may turn the firewall off", [ans.name(t), ans.shown(t.args.state)]),
	"path": ans.arg_path(i, "state"),
} if {
	some i, t in ans.tasks_in({"community.general.ufw", "community.windows.win_firewall"})
	ans.templated(t.args.state)
}

inconclusive contains {
	"msg": sprintf("%s sets ufw's default policy to %s, which clause cannot resolve: every incoming port may be open", [ans.name(t), ans.shown(t.args[key])]),
	"path": ans.arg_path(i, key),
} if {
	some i, t in ans.tasks_in({"community.general.ufw"})
	some key in ["policy", "default"]
	ans.templated(t.args[key])
	not outgoing(t)
}

inconclusive contains {
	"msg": sprintf("%s sets ufw's default policy to allow for direction %s, which clause cannot resolve: every incoming port may be open", [ans.name(t), ans.shown(t.args.direction)]),
	"path": ans.arg_path(i, "direction"),
} if {
	some i, t in ans.tasks_in({"community.general.ufw"})
	some key in ["policy", "default"]
	t.args[key] == "allow"
	ans.templated(t.args.direction)
}

# A firewall service whose state, enabled or masked setting is unresolved.
inconclusive contains {
	"msg": sprintf("%s sets the %s firewall service's %s to %s, which clause cannot resolve: it may turn the firewall off", [ans.name(t), name, key, ans.shown(t.args[key])]),
	"path": ans.arg_path(i, key),
} if {
	some i, t in ans.tasks_in(service_modules)
	name := service_name(t)
	not turned_off(t)
	some key in ["state", "enabled", "masked"]
	ans.templated(t.args[key])
	not replaced(name)
}

# A service that is stopped, disabled or masked, whose name is unresolved.
inconclusive contains {
	"msg": sprintf("%s %s the service %s, which clause cannot resolve: it may be the host firewall", [ans.name(t), verb, ans.shown(t.args.name)]),
	"path": ans.arg_path(i, "name"),
} if {
	some i, t in ans.tasks_in(service_modules)
	ans.templated(t.args.name)
	[_, verb] := turned_off(t)
	not firewall_turned_on
}

outgoing(t) if {
	is_string(t.args.direction)
	not t.args.direction in {"incoming", "in"}
}

firewall_turned_on if {
	some t in ans.tasks_in(service_modules)
	service_name(t)
	turned_on(t)
}
