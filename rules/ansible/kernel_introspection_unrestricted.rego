# METADATA
# title: Kernel debugging and introspection opened to unprivileged users
# description: >-
#   A handful of kernel settings decide whether ordinary accounts may use the
#   kernel's debugging and introspection facilities: attach a debugger to
#   other processes and read their memory (`kernel.yama.ptrace_scope = 0`),
#   read kernel addresses and the kernel log that defeat KASLR and leak
#   hardware and driver details (`kernel.kptr_restrict = 0`,
#   `kernel.dmesg_restrict = 0`), load BPF programs
#   (`kernel.unprivileged_bpf_disabled = 0`), profile the kernel
#   (`kernel.perf_event_paranoid` below 2), make setuid programs dump core
#   (`fs.suid_dumpable = 1`) or use every magic SysRq function from the console
#   (`kernel.sysrq = 1`). Each one is a privileged utility handed to every local
#   user, and a common step in local privilege escalation and credential theft.
#   ISO/IEC 27002 11.5.4 asks that the use of utility programs able to override
#   system and application controls be restricted and tightly controlled. The
#   rule reads ansible.posix.sysctl, lines written to /etc/sysctl.conf and
#   /etc/sysctl.d/, and `sysctl -w` commands; a value clause cannot resolve is
#   an inconclusive check.
# custom:
#   id: CL-ANS-030
#   severity: medium
#   targets: [ansible]
#   controls:
#     iso27002:2005: ["11.5.4"]
#     iso27002:2022: ["8.18"]
#   remediation: >-
#     Keep the restrictive values: `kernel.yama.ptrace_scope: 1` (or 2),
#     `kernel.kptr_restrict: 1` (or 2), `kernel.dmesg_restrict: 1`,
#     `kernel.unprivileged_bpf_disabled: 1` (or 2), `kernel.perf_event_paranoid:
#     2` (or more), `fs.suid_dumpable: 0`, `kernel.sysrq: 0` (or a mask such as
#     176). Grant debugging to the people who need it with CAP_SYS_PTRACE or
#     sudo rather than opening it host-wide.
#   applies_to: [ansible.posix.sysctl, ansible.builtin.lineinfile, ansible.builtin.blockinfile, ansible.builtin.copy, ansible.builtin.replace, ansible.builtin.shell, ansible.builtin.command, ansible.builtin.raw, ansible.builtin.script, ansible.windows.win_command, ansible.windows.win_shell]
package clause.rules.ansible.kernel_introspection_unrestricted

import data.clause.lib.ansible as ans
import data.clause.lib.ansible.command_modules
import data.clause.lib.ansible.edit_modules
import rego.v1

# What each setting opens when weak.
effects := {
	"kernel.yama.ptrace_scope": "any process may attach to and read the memory of every other process of the same user",
	"kernel.kptr_restrict": "unprivileged users can read kernel addresses, defeating KASLR",
	"kernel.dmesg_restrict": "unprivileged users can read the kernel log",
	"kernel.unprivileged_bpf_disabled": "unprivileged users can load BPF programs into the kernel",
	"kernel.perf_event_paranoid": "unprivileged users can profile the kernel with perf events",
	"fs.suid_dumpable": "setuid programs dump core files that may hold their secrets",
	"kernel.sysrq": "every magic SysRq function is available from the console",
}

weak(key, n) if {
	key in {"kernel.yama.ptrace_scope", "kernel.kptr_restrict", "kernel.dmesg_restrict", "kernel.unprivileged_bpf_disabled"}
	n == 0
}

weak("kernel.perf_event_paranoid", n) if n < 2

weak("fs.suid_dumpable", n) if n == 1

weak("kernel.sysrq", n) if n == 1

# ansible.posix.sysctl
deny contains {
	"msg": sprintf("%s sets %s to %v, so %s", [ans.name(t), key, t.args.value, effects[key]]),
	"path": ans.arg_path(i, "value"),
	"label": "kernel facility opened",
} if {
	some i, t in ans.tasks_in({"ansible.posix.sysctl"})
	key := sysctl_key(t.args.name)
	weak(key, number(t.args.value))
	not t.args.state == "absent"
}

inconclusive contains {
	"msg": sprintf("%s sets %s to %s, which clause cannot resolve: %s", [ans.name(t), key, ans.shown(t.args.value), may[key]]),
	"path": ans.arg_path(i, "value"),
} if {
	some i, t in ans.tasks_in({"ansible.posix.sysctl"})
	key := sysctl_key(t.args.name)
	ans.templated(t.args.value)
	not t.args.state == "absent"
}

# /etc/sysctl.conf and /etc/sysctl.d/*.conf
deny contains {
	"msg": sprintf("%s writes %q to %s, so %s", [ans.name(t), s.line, file, effects[s.key]]),
	"path": ans.arg_path(i, e.key),
	"label": "kernel facility opened",
} if {
	some i, t in ans.tasks_in(edit_modules)
	file := sysctl_file(t)
	ans.writes(t)
	some e in ans.edit_texts(t)
	some s in settings(e.value)
	weak(s.key, number(s.value))
}

inconclusive contains {
	"msg": sprintf("%s writes %q to %s, and clause cannot resolve the value: %s", [ans.name(t), s.line, file, may[s.key]]),
	"path": ans.arg_path(i, e.key),
} if {
	some i, t in ans.tasks_in(edit_modules)
	file := sysctl_file(t)
	not ans.removes(t)
	some e in ans.edit_texts(t)
	some s in settings(e.value)
	ans.value_unresolved(s.value)
}

inconclusive contains {
	"msg": sprintf("%s writes %q to %s with state %s, which clause cannot resolve: if it is written, %s", [ans.name(t), s.line, file, ans.shown(t.args.state), effects[s.key]]),
	"path": ans.arg_path(i, e.key),
} if {
	some i, t in ans.tasks_in(edit_modules)
	file := sysctl_file(t)
	ans.removal_unknown(t)
	some e in ans.edit_texts(t)
	some s in settings(e.value)
	weak(s.key, number(s.value))
}

# sysctl -w key=value
deny contains {
	"msg": sprintf("%s runs %q, so %s", [ans.name(t), trim_space(m[0]), effects[key]]),
	"path": array.concat(["tasks", i, "args"], c.path),
	"label": "kernel facility opened",
} if {
	some i, t in ans.tasks_in(command_modules)
	some c in ans.commands(t)
	some m in regex.find_all_string_submatch_n(`(?:^|[;&|(\s])(?:sudo\s+)?sysctl\s+(?:-[a-zA-Z]+\s+)*["']?([a-z0-9_./]+)\s*=\s*["']?(-?[0-9]+)`, c.text, -1)
	key := sysctl_key(m[1])
	weak(key, to_number(m[2]))
}

may := {key: sprintf("if weak, %s", [effect]) | some key, effect in effects}

sysctl_file(t) := ans.edited_file(t, `^(/etc/sysctl\.conf|/etc/sysctl\.d/.*|/usr/lib/sysctl\.d/.*|/run/sysctl\.d/.*)$`)

# A key in dotted form, whether written with dots or slashes.
sysctl_key(name) := key if {
	is_string(name)
	key := replace(lower(trim_space(name)), "/", ".")
	effects[key]
}

# settings(text): `key = value` lines, as {"line", "key", "value"}.
settings(text) := {{"line": line, "key": key, "value": trim_space(m[0][2])} |
	some line in ans.written_text_lines(text)
	m := regex.find_all_string_submatch_n(`^-?[[:space:]]*([A-Za-z0-9_./-]+)[[:space:]]*=[[:space:]]*([^#;]*)`, line, 1)
	count(m) == 1
	key := sysctl_key(m[0][1])
}

number(v) := v if {
	is_number(v)
	v == floor(v)
}

number(v) := to_number(trim_space(v)) if {
	is_string(v)
	regex.match(`^-?[0-9]{1,9}$`, trim_space(v))
}
