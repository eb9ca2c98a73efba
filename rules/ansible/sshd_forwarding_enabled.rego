# METADATA
# title: SSH daemon forwards X11, tunnels or remote ports
# description: >-
#   `X11Forwarding yes` opens a channel from the server back to the user's
#   display, through which anyone with root on the server (or the same
#   account) can read keystrokes and take screenshots of the user's desktop;
#   `PermitTunnel` lets a user bridge whole networks through the host with
#   tun/tap devices; `GatewayPorts yes` (or `clientspecified`) exposes ports
#   users forward to every address instead of the server's loopback. Each
#   turns the SSH service into a path between networks that bypasses the
#   firewalls meant to control it. ISO/IEC 27002 11.4.6 asks that the
#   connections users can make through shared networks be restricted in line
#   with the access control policy. Only the first value sshd reads outside
#   `Match` blocks counts; a setting inside a `Match` block, which applies only
#   to the users or addresses it matches, is not flagged. Lines are read with
#   their variables resolved; a value, file name or state clause cannot
#   resolve is an inconclusive check.
# custom:
#   id: CL-ANS-028
#   severity: low
#   targets: [ansible]
#   controls:
#     iso27002:2005: ["11.4.6"]
#     iso27002:2022: ["8.20"]
#   remediation: >-
#     Write `X11Forwarding no`, `PermitTunnel no` and `GatewayPorts no` (the
#     defaults of the last two), and grant forwarding only to the accounts that
#     need it inside a `Match User ...` or `Match Group ...` block.
#   applies_to: [ansible.builtin.lineinfile, ansible.builtin.blockinfile, ansible.builtin.copy, ansible.builtin.replace]
package clause.rules.ansible.sshd_forwarding_enabled

import data.clause.lib.ansible as ans
import data.clause.lib.ansible.sshd_unknown_texts
import rego.v1

# What each keyword's enabling values open.
effects := {
	"x11forwarding": "forwards X11 sessions to users' displays",
	"permittunnel": "lets users tunnel whole networks through the host",
	"gatewayports": "exposes forwarded ports to every network",
}

enabling := {
	"x11forwarding": {"yes"},
	"permittunnel": {"yes", "point-to-point", "ethernet"},
	"gatewayports": {"yes", "clientspecified"},
}

deny contains {
	"msg": sprintf("%s writes %q to %s, so sshd %s", [ans.name(s.task), s.line, s.file, effect]),
	"path": ans.arg_path(s.index, s.key),
	"label": "forwarding enabled",
} if {
	some keyword, effect in effects
	some s in ans.sshd_settings(keyword)
	s.how == "written"
	lower(s.value) in enabling[keyword]
}

inconclusive contains {
	"msg": sprintf("%s writes %q to %s, and clause cannot resolve the value: sshd may %s", [ans.name(s.task), s.line, s.file, might[keyword]]),
	"path": ans.arg_path(s.index, s.key),
} if {
	some keyword, _ in effects
	some s in ans.sshd_settings(keyword)
	s.how != "file_unknown"
	ans.value_unresolved(s.value)
}

inconclusive contains {
	"msg": sprintf("%s writes %q to %s, which clause cannot resolve: if it is the sshd configuration, sshd %s", [ans.name(s.task), s.line, s.file, effect]),
	"path": ans.arg_path(s.index, s.key),
} if {
	some keyword, effect in effects
	some s in ans.sshd_settings(keyword)
	s.how == "file_unknown"
	lower(s.value) in enabling[keyword]
}

inconclusive contains {
	"msg": sprintf("%s writes %q to %s with state %s, which clause cannot resolve: sshd may %s", [ans.name(s.task), s.line, s.file, ans.shown(s.task.args.state), might[keyword]]),
	"path": ans.arg_path(s.index, s.key),
} if {
	some keyword, _ in effects
	some s in ans.sshd_settings(keyword)
	s.how == "state_unknown"
	lower(s.value) in enabling[keyword]
}

inconclusive contains {
	"msg": sprintf("%s writes %s to %s, which clause cannot resolve: it may enable X11 forwarding, tunnels or gateway ports", [ans.name(u.task), u.text, u.file]),
	"path": ans.arg_path(u.index, u.key),
} if {
	some u in sshd_unknown_texts
}

might := {
	"x11forwarding": "forward X11 sessions to users' displays",
	"permittunnel": "let users tunnel whole networks through the host",
	"gatewayports": "expose forwarded ports to every network",
}
