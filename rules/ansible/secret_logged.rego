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
#   block or its play, directly or through a variable) is not flagged; a
#   `no_log` clause cannot resolve makes the check inconclusive. Vaulted values
#   count as secrets wherever they are interpolated: Ansible decrypts them
#   before printing.
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
import data.clause.lib.ansible.command_modules
import data.clause.lib.ansible.looped_tasks
import rego.v1

secret_suffix := `(^|[-_])(password|passwd|passphrase|pass_phrase|secret|token|api[-_]?key|secret[-_]key|secret[-_]access[-_]key|bind_pw|pwd)$`

# Each way a task prints a secret is an exposure; it is a finding when the
# task's no_log is off, and an inconclusive check when clause cannot
# resolve its no_log.
deny contains {"msg": x.msg, "path": x.path, "label": x.label} if {
	some x in exposures
	t := input.tasks[x.path[1]]
	not hidden(t)
	not ans.templated(t.no_log)
}

inconclusive contains {
	"msg": sprintf("%s, unless no_log (%s, which clause cannot resolve) is true", [x.msg, ans.shown(t.no_log)]),
	"path": x.path,
} if {
	some x in exposures
	t := input.tasks[x.path[1]]
	ans.templated(t.no_log)
}

# 1a. A looped task whose secret argument clause could not resolve, and whose
# expression as written reads the loop item: Ansible prints the item for
# every iteration.
exposures contains {
	"msg": sprintf("%s takes %s from the loop item, which Ansible prints for every iteration", [ans.name(t), key]),
	"path": array.concat(["tasks", i, "args"], p),
	"label": "printed with every loop item",
} if {
	some [i, p, key, value] in secret_args
	t := input.tasks[i]
	ans.templated(value)
	ans.looped(t)
	not item_holds_secret(t)
	reads_item(ans.written(value), loop_var(t))
}

# 1a'. The same with a list written in the task: a secret argument whose
# value is one of the item's (the item names it otherwise, `p: hunter2`).
exposures contains {
	"msg": sprintf("%s takes %s from the loop item, which Ansible prints for every iteration", [ans.name(t), key]),
	"path": array.concat(["tasks", i, "args"], p),
	"label": "printed with every loop item",
} if {
	some [i, p, key, value] in secret_args
	t := input.tasks[i]
	shown_secret(value)
	item := current_item(t)
	not item_holds_secret(t)
	walk(item.value, [_, leaf])
	leaf == value
}

item_holds_secret(t) if count(item_secrets(current_item(t))) > 0

written_loop_keys := ["loop", "with_list", "with_items", "with_dict"]

# The loop lists written in tasks that mention a secret-like word or a
# vaulted value anywhere in their text: only their items are searched (a
# loop clause expands into one task per item, each repeating the list).
# Every key `secret_key` accepts contains one of these words, and JSON
# escapes none of their characters, so no secret is left out.
suspect_lists := {list |
	some list in written_lists
	regex.match(secret_words, lower(json.marshal(list)))
}

# Each loop list written in a task, read from its first iteration: clause
# expands a known list into iterations 0, 1, ... of the same task as written,
# so the others repeat the list (a 50-item loop carried it 50 times into the
# set, each compared whole).
written_lists := {l |
	some t in input.tasks
	t.loop_index == 0
	some k in written_loop_keys
	l := t[k]
}

secret_words := `password|passwd|passphrase|pass_phrase|secret|token|api[-_]?key|bind_pw|pwd|\$ansible_vault;`

# 1b. A loop over a list written in the task: the item of this iteration
# holds a secret (`{name: alice, password: ...}`, or a vaulted value), which
# Ansible prints whatever the task does with it. The finding points at the
# secret in the list.
exposures contains {
	"msg": sprintf("%s loops over an item holding %s, which Ansible prints for every iteration", [ans.name(t), what]),
	"path": array.concat(["tasks", i], s.path),
	"label": "printed with every loop item",
} if {
	# Most documents write no list that mentions a secret.
	count(suspect_lists) > 0
	some i, t in input.tasks
	is_number(t.loop_index)
	some k in written_loop_keys
	list := t[k]
	list in suspect_lists
	item := current_item(t)
	some s in item_secrets(item)
	what := s.what
}

# 1c. A loop over a variable's list, expanded by clause: the item is not in
# the task as written, but a secret argument that differs from one
# iteration to the next comes from it.
exposures contains {
	"msg": sprintf("%s takes %s from the loop item (it changes with every iteration of %s), which Ansible prints for every iteration", [ans.name(t), key, ans.shown(loop_expression(t))]),
	"path": array.concat(["tasks", i, "args"], p),
	"label": "printed with every loop item",
} if {
	some [i, p, key, value] in secret_args
	t := input.tasks[i]
	templated_loop(t)
	shown_secret(value)
	some u in siblings(i, t)
	value_at(u.args, p) != value
}

# The same loop when every iteration clause sees has the same value: it may
# come from the item or from elsewhere.
inconclusive contains {
	"msg": sprintf("%s takes %s while looping over %s: if the value comes from the loop item, Ansible prints it for every iteration", [ans.name(t), key, ans.shown(loop_expression(t))]),
	"path": array.concat(["tasks", i, "args"], p),
} if {
	some [i, p, key, value] in secret_args
	t := input.tasks[i]
	not hidden(t)
	templated_loop(t)
	shown_secret(value)
	every u in siblings(i, t) {
		value_at(u.args, p) == value
	}
}

# 2. debug printing a secret variable.
exposures contains {
	"msg": sprintf("%s prints the secret %s", [ans.name(t), ref]),
	"path": ans.arg_path(i, "var"),
	"label": "secret printed",
} if {
	some i, t in ans.tasks_in({"ansible.builtin.debug"})
	expr := ans.written_arg(t, ["var"], t.args["var"])
	is_string(expr)
	ref := secret_reference(trim_space(expr))
}

exposures contains {
	"msg": sprintf("%s prints the secret %s", [ans.name(t), ref]),
	"path": array.concat(["tasks", i, "args"], m.path),
	"label": "secret printed",
} if {
	some i, t in ans.tasks_in({"ansible.builtin.debug"})
	some m in messages(t)
	some ref in interpolated_secrets(m.text)
}

exposures contains {
	"msg": sprintf("%s prints a vaulted secret, which Ansible decrypts first", [ans.name(t)]),
	"path": array.concat(["tasks", i, "args"], m.path),
	"label": "secret printed",
} if {
	some i, t in ans.tasks_in({"ansible.builtin.debug"})
	some m in messages(t)
	vaulted(m.text)
}

# 3. A secret interpolated into a command line.
exposures contains {
	"msg": sprintf("%s puts %s on the command line, which Ansible prints when the task fails or runs verbose", [ans.name(t), ref]),
	"path": array.concat(["tasks", i, "args"], c.path),
	"label": "secret on the command line",
} if {
	some [i, t, c] in command_lines
	regex.match(secret_words, lower(c.text))
	some ref in interpolated_secrets(c.text)
}

exposures contains {
	"msg": sprintf("%s puts a vaulted secret on the command line, which Ansible prints (decrypted) when the task fails or runs verbose", [ans.name(t)]),
	"path": array.concat(["tasks", i, "args"], c.path),
	"label": "secret on the command line",
} if {
	some [i, t, c] in command_lines
	contains(c.text, "$ANSIBLE_VAULT;")
}

# The command lines of the command tasks that mention a secret-like word
# or a vaulted value (their arguments, resolved or as written), found once
# for both checks above: most command tasks mention neither.
command_lines contains [i, t, c] if {
	some i, t in ans.tasks_in(command_modules)
	regex.match(secret_words, lower(json.marshal([t.args, object.get(t, "args_as_written", null)])))
	some c in command_texts(t)
	is_string(c.text)
}

# The arguments of looped tasks whose key names a secret, found once per
# document: every exposure through a loop starts from one of them (each
# check below asks for a loop), and clause's index of looped tasks spares
# visiting the others.
secret_args contains [i, p, key, value] if {
	some i in looped_tasks
	t := input.tasks[i]
	t.args in args_with_secret_keys
	some [p, value] in arg_nodes(t.args)
	key := p[count(p) - 1]
	secret_key(key)
}

# The distinct argument sets with a secret-named key, three levels deep: a
# role included several times repeats its tasks, so each is searched once,
# and each distinct key name is matched once.
args_with_secret_keys := {a |
	some a in distinct_args
	some k, _ in a
	k in secret_keys
} | {a |
	some a in distinct_args
	some _, va in a
	is_object(va)
	some k, _ in va
	k in secret_keys
} | {a |
	some a in distinct_args
	some _, va in a
	is_object(va)
	some _, vb in va
	is_object(vb)
	some k, _ in vb
	k in secret_keys
}

distinct_args := {input.tasks[i].args | some i in looped_tasks}

# The key names of the arguments (three levels deep) that name a secret.
secret_keys := {k |
	some k in arg_keys
	secret_key(k)
}

arg_keys := {k | some a in distinct_args; some k, _ in a} | {k |
	some a in distinct_args
	some _, va in a
	is_object(va)
	some k, _ in va
} | {k |
	some a in distinct_args
	some _, va in a
	is_object(va)
	some _, vb in va
	is_object(vb)
	some k, _ in vb
}

hidden(t) if ans.is_true(t.no_log)

loop_var(t) := t.loop_control.loop_var if is_string(t.loop_control.loop_var)

loop_var(t) := "item" if not is_string(t.loop_control.loop_var)

reads_item(text, var) if regex.match(sprintf(`(^|[^A-Za-z0-9_.])%s([^A-Za-z0-9_]|$)`, [var]), text)

secret_key(key) if {
	is_string(key)
	regex.match(secret_suffix, lower(key))
	not lower(key) in {"update_password", "password_lock", "token_type", "secret_type"}
}

# A value that is a secret when printed: text or a number, not a choice
# (`on_create`, yes/no) nor a hash.
shown_secret(v) if {
	is_number(v)
}

shown_secret(v) if {
	is_string(v)
	ans.known(v)
	trim_space(v) != ""
	not ans.is_true(v)
	not ans.is_false(v)
	not lower(trim_space(v)) in {"always", "on_create", "on_change", "none", "null", "~"}
	not regex.match(`^!?\$[a-z0-9-]+\$`, lower(trim_space(v)))
}

vaulted(text) if {
	is_string(text)
	contains(text, "$ANSIBLE_VAULT;")
}

# The loop keyword a task uses and its value as written.
loop_keyword(t) := "loop" if {
	t.loop != null
} else := keys[0] if {
	keys := sort([k | some k, v in t; startswith(k, "with_"); v != null])
	count(keys) > 0
}

loop_expression(t) := t[loop_keyword(t)]

# value_at(x, p): the value at a path of up to three keys, null if absent.
value_at(x, p) := object.get(x, p[0], null) if count(p) == 1

value_at(x, p) := object.get(object.get(x, p[0], {}), p[1], null) if count(p) == 2

value_at(x, p) := object.get(object.get(object.get(x, p[0], {}), p[1], {}), p[2], null) if count(p) == 3

# A loop clause expanded item by item over a list that is not written in
# the task (a variable it resolved).
templated_loop(t) if {
	is_number(t.loop_index)
	expr := loop_expression(t)
	is_string(expr)
	ans.templated(expr)
}

# The other iterations of the same looped task: clause expands a loop into
# consecutive tasks, so they sit as far from it as their loop index.
siblings(i, t) := {u |
	some j, u in input.tasks
	j != i
	is_number(u.loop_index)
	j - i == u.loop_index - t.loop_index
	u.chain == t.chain
	u.module == t.module
	loop_expression(u) == loop_expression(t)
}

# current_item(t): the item of this iteration when the loop's list is
# written in the task: {"path" (below the task), "value"}.
current_item(t) := items[t.loop_index] if {
	is_number(t.loop_index)
	items := written_items(t)
}

written_items(t) := [{"path": [k, j], "value": v} | some j, v in t[k]] if {
	k := loop_keyword(t)
	k in {"loop", "with_list"}
	is_array(t[k])
}

written_items(t) := [x | some j, v in t.with_items; some x in flattened(j, v)] if {
	loop_keyword(t) == "with_items"
	is_array(t.with_items)
	not expands(t.with_items)
}

# with_items flattens an element that resolves to a list: one that is only a
# reference (`- "{{ admins }}"`) may stand for several items, and the list as
# written then does not line up with the iterations.
expands(list) if {
	some v in list
	is_string(v)
	regex.match(`^[[:space:]]*\{\{[^}]*\}\}[[:space:]]*$`, v)
}

written_items(t) := [{"path": ["with_dict", k], "value": {"key": k, "value": v}, "dict": true} | some k, v in t.with_dict] if {
	loop_keyword(t) == "with_dict"
	is_object(t.with_dict)
}

# with_items flattens one level of nested lists.
flattened(j, v) := [{"path": ["with_items", j, n], "value": w} | some n, w in v] if is_array(v)

flattened(j, v) := [{"path": ["with_items", j], "value": v}] if not is_array(v)

# item_secrets(item): the secrets a loop item holds, with their paths below
# the task: values under secret-named keys (any depth), vaulted values.
item_secrets(item) := {{"path": array.concat(item.path, dict_path(item, p)), "what": key} |
	walk(item.value, [p, v])
	count(p) > 0
	key := p[count(p) - 1]
	secret_key(key)
	item_secret(v)
} | {{"path": array.concat(item.path, dict_path(item, p)), "what": "a vaulted value"} |
	walk(item.value, [p, v])
	vaulted(v)
	not secret_key(last(p))
}

last(p) := p[count(p) - 1] if count(p) > 0

# with_dict items are {key, value}; their paths in the task skip `value`.
dict_path(item, p) := array.slice(p, 1, count(p)) if {
	item.dict
	count(p) > 0
	p[0] == "value"
} else := [] if {
	item.dict
} else := p

item_secret(v) if shown_secret(v)

item_secret(v) if {
	is_string(v)
	ans.templated(v)
}

item_secret(v) if ans.unknown(v)

# What debug prints: msg as text, or each line of a msg list.
messages(t) := {{"path": ["msg"], "text": text} |
	text := ans.written_arg(t, ["msg"], t.args.msg)
} | {{"path": ["msg", j], "text": text} |
	some j, item in ans.list(t.args.msg)
	text := ans.written_arg(t, ["msg", j], item)
}

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
	text := ans.written_arg(t, [key], t.args[key])
} | {{"path": ["argv", j], "text": text} |
	some j, item in ans.list(t.args.argv)
	text := ans.written_arg(t, ["argv", j], item)
}

# Each `{{ ... }}` in the text that prints a secret variable.
interpolated_secrets(text) := {ref |
	is_string(text)
	regex.match(secret_words, lower(text))
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
