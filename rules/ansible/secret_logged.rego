# METADATA
# title: Secret printed in Ansible output
# description: >-
#   Ansible hides the arguments modules declare secret, but not a secret that
#   reaches its output another way: the loop item shown for every iteration
#   (`item={'name': 'alice', 'password': '...'}`), a debug message, or a
#   command line, which failed tasks print and verbose runs record. That
#   output ends up in CI job logs, AWX/Tower job events, ARA or callback
#   plugins, readable by far more people than the secret was meant for.
#   ISO/IEC 27002 11.5.3 asks that passwords be stored and transmitted only in
#   protected form, and 10.10.3 that log information be protected; a password
#   written into a log defeats both. A task with `no_log: true` (set on it, its
#   block or its play) is not flagged, nor is a templated `no_log`.
# custom:
#   id: CL-ANS-007
#   severity: medium
#   targets: [ansible]
#   controls:
#     iso27002:2005: ["11.5.3", "10.10.3"]
#     iso27002:2022: ["5.17", "8.15"]
#   remediation: >-
#     Add `no_log: true` to the task (or its block). For loops, `loop_control:
#     {label: "{{ item.name }}"}` also keeps the item out of the normal output,
#     but only no_log covers verbose runs and failures. Do not print secrets
#     with debug, and pass them to commands through `environment:` or `stdin:`
#     rather than on the command line.
#   applies_to: ["*"]
package clause.rules.ansible.secret_logged

import data.clause.lib.ansible as ans
import rego.v1

secret_suffix := `(^|[-_])(password|passwd|passphrase|pass_phrase|secret|token|api[-_]?key|secret[-_]key|secret[-_]access[-_]key|bind_pw|pwd)$`

# 1. A looped task whose secret argument comes from the loop item: Ansible
# prints the item for every iteration.
deny contains {
	"msg": sprintf("%s takes %s from the loop item, which Ansible prints for every iteration", [ans.name(t), key]),
	"path": array.concat(["tasks", i, "args"], p),
	"label": "printed with every loop item",
} if {
	some i, t in input.tasks
	not hidden(t)
	looped(t)
	var := loop_var(t)
	some [p, value] in arg_nodes(t.args)
	key := p[count(p) - 1]
	is_string(key)
	regex.match(secret_suffix, lower(key))
	not lower(key) in {"update_password", "password_lock", "token_type", "secret_type"}
	ans.templated(value)
	text := ans.written(value)
	regex.match(sprintf(`(^|[^A-Za-z0-9_.])%s([^A-Za-z0-9_]|$)`, [var]), text)
}

# 2. debug printing a secret variable.
deny contains {
	"msg": sprintf("%s prints the secret %s", [ans.name(t), ref]),
	"path": ans.arg_path(i, "var"),
	"label": "secret printed",
} if {
	some i, t in input.tasks
	t.module == "ansible.builtin.debug"
	not hidden(t)
	expr := t.args["var"]
	is_string(expr)
	ref := secret_reference(trim_space(expr))
}

deny contains {
	"msg": sprintf("%s prints the secret %s", [ans.name(t), ref]),
	"path": ans.arg_path(i, "msg"),
	"label": "secret printed",
} if {
	some i, t in input.tasks
	t.module == "ansible.builtin.debug"
	not hidden(t)
	some ref in interpolated_secrets(t.args.msg)
}

# 3. A secret interpolated into a command line.
deny contains {
	"msg": sprintf("%s puts %s on the command line, which Ansible prints when the task fails or runs verbose", [ans.name(t), ref]),
	"path": array.concat(["tasks", i, "args"], c.path),
	"label": "secret on the command line",
} if {
	some i, t in input.tasks
	t.module in ans.command_modules
	not hidden(t)
	some c in command_texts(t)
	some ref in interpolated_secrets(c.text)
}

hidden(t) if ans.is_true(t.no_log)

hidden(t) if ans.templated(t.no_log)

looped(t) if t.loop != null

looped(t) if {
	some k, v in t
	startswith(k, "with_")
	v != null
}

loop_var(t) := t.loop_control.loop_var if is_string(t.loop_control.loop_var)

loop_var(t) := "item" if not is_string(t.loop_control.loop_var)

# The arguments, three levels deep (body: {password: ...}).
arg_nodes(args) := {[[a], va] | some a, va in args} | {[[a, b], vb] |
	some a, va in args
	is_object(va)
	some b, vb in va
} | {[[a, b, c], vc] |
	some a, va in args
	is_object(va)
	some b, vb in va
	is_object(vb)
	some c, vc in vb
}

# The command line as written: free-form, `cmd`, or each `argv` item.
command_texts(t) := {{"path": [key], "text": text} |
	some key in ["_raw_params", "cmd"]
	text := ans.written(t.args[key])
} | {{"path": ["argv", j], "text": text} |
	some j, item in ans.list(t.args.argv)
	text := ans.written(item)
}

# Each `{{ ... }}` in the text that prints a secret variable.
interpolated_secrets(text) := {ref |
	is_string(text)
	some m in regex.find_all_string_submatch_n(`\{\{-?([^}]*?)-?\}\}`, text, -1)
	ref := secret_reference(trim_space(m[1]))
}

# An expression that is just a reference to a secret-named variable (or
# attribute): db_password, creds.token, item['password'], optionally through
# a filter that keeps the value readable.
secret_reference(expr) := ref if {
	parts := regex.find_all_string_submatch_n(`^([A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*|\[[^]]*\])*)[[:space:]]*(\|[[:space:]]*(string|trim|to_json|to_nice_json|b64decode|b64encode|urlencode|quote|default\([^)]*\))[[:space:]]*)*$`, expr, 1)
	count(parts) == 1
	ref := parts[0][1]
	last := last_segment(ref)
	regex.match(secret_suffix, lower(last))
}

last_segment(ref) := seg if {
	segs := regex.find_all_string_submatch_n(`([A-Za-z_][A-Za-z0-9_-]*)['"]?\]?$`, ref, 1)
	seg := segs[0][1]
}
