# Helpers for Ansible rules: `import data.clause.lib.ansible as ans`.
#
# The input is one playbook or task file, flattened: input.tasks[i] holds
# `module` (fully qualified, e.g. "ansible.builtin.copy"), `args` (whatever
# form they were written in), `name`, and the task's keywords, including those
# inherited from its block or play (`become`, `no_log`, ...).
package clause.lib.ansible

import rego.v1

# tasks_using(modules): tasks running one of the given fully qualified
# modules, as {"task": ..., "index": i}.
tasks_using(modules) := {{"task": t, "index": i} |
	some i, t in input.tasks
	t.module in modules
}

arg_path(i, key) := ["tasks", i, "args", key]

task_path(i) := ["tasks", i]

# arg(task, names): the first of several argument aliases that is set.
arg(task, names) := {"key": k, "value": task.args[k]} if {
	some k in names
	task.args[k] != null
}

# templated(v): a value clause could not resolve: a whole Jinja reference
# that stays unknown ({"__unknown__": "{{ x }}", "__refs__": ["x"]}), or text
# with unresolved `{{ }}` parts. Never fail or pass on it.
templated(v) if {
	is_object(v)
	v.__unknown__
}

templated(v) if {
	is_string(v)
	contains(v, "{{")
}

templated(v) if {
	is_string(v)
	contains(v, "{%")
}

known(v) if not templated(v)

# Ansible's boolean conversion of module arguments.
is_false(v) if v == false

is_false(v) if v == 0

is_false(v) if {
	is_string(v)
	lower(trim_space(v)) in {"no", "false", "off", "0", "n", "f"}
}

is_true(v) if v == true

is_true(v) if v == 1

is_true(v) if {
	is_string(v)
	lower(trim_space(v)) in {"yes", "true", "on", "1", "y", "t"}
}

# name(task): how to call a task in a message.
name(task) := sprintf("task %q", [task.name]) if is_string(task.name)

name(task) := sprintf("%s task", [task.module]) if not is_string(task.name)

# command_line(task): the command a shell/command/raw task runs.
command_line(task) := task.args._raw_params if is_string(task.args._raw_params)

command_line(task) := task.args.cmd if {
	not is_string(task.args._raw_params)
	is_string(task.args.cmd)
}

command_modules := {
	"ansible.builtin.shell", "ansible.builtin.command", "ansible.builtin.raw",
	"ansible.builtin.script", "ansible.windows.win_shell", "ansible.windows.win_command",
}

# list(v): v when it is a list, otherwise empty, so `some x in ans.list(v)`
# never fails on a string or a Jinja expression written where a list goes.
list(v) := v if is_array(v)

list(v) := [] if not is_array(v)

# written(v): a value's text as written: the string itself, or the
# expression of an unknown (`{{ item.password }}`), for rules about how a
# value is written rather than what it is.
written(v) := v if is_string(v)

written(v) := v.__unknown__ if {
	is_object(v)
	is_string(v.__unknown__)
}

# unknown(v): a whole value clause could not resolve, as an explicit marker
# ({"__unknown__": "{{ verify }}", "__refs__": ["verify"]}). Text with some
# unresolved `{{ }}` parts is still a string: see templated(v).
unknown(v) if {
	is_object(v)
	is_string(v.__unknown__)
}

# shown(v): a value as a message shows it: an unknown's expression as
# written, a string as it is, anything else in Rego's notation.
shown(v) := v.__unknown__ if unknown(v)

shown(v) := v if is_string(v)

shown(v) := sprintf("%v", [v]) if {
	not unknown(v)
	not is_string(v)
}

# lines(text): the lines of a text written into a file. Free-form `k=v`
# values may still hold `\n` escapes, which Ansible decodes.
lines(text) := split(replace(text, `\n`, "\n"), "\n")

# Modules that edit a file in place or write it whole: the arguments naming
# the file (with their aliases) and those holding the text written to it.
edit_path_keys := {
	"ansible.builtin.lineinfile": ["path", "dest", "destfile", "name"],
	"ansible.builtin.blockinfile": ["path", "dest", "destfile", "name"],
	"ansible.builtin.replace": ["path", "dest", "destfile", "name"],
	"ansible.builtin.copy": ["dest"],
}

edit_text_keys := {
	"ansible.builtin.lineinfile": ["line", "value"],
	"ansible.builtin.blockinfile": ["block", "content"],
	"ansible.builtin.replace": ["replace"],
	"ansible.builtin.copy": ["content"],
}

# edited_files(t): the file a task edits, {"key", "value"}: a string (known,
# or text with unresolved parts) or an unknown.
edited_files(t) := {{"key": k, "value": v} |
	some k in object.get(edit_path_keys, t.module, [])
	v := t.args[k]
	v != null
}

# edit_texts(t): the text a task writes, {"key", "value"}.
edit_texts(t) := {{"key": k, "value": v} |
	some k in object.get(edit_text_keys, t.module, [])
	v := t.args[k]
	v != null
}

# removes(t): lineinfile/blockinfile with `state: absent` remove the text
# instead of writing it; removal_unknown(t) when that state is unknown.
removes(t) if {
	t.module in {"ansible.builtin.lineinfile", "ansible.builtin.blockinfile"}
	t.args.state == "absent"
}

removal_unknown(t) if {
	t.module in {"ansible.builtin.lineinfile", "ansible.builtin.blockinfile"}
	templated(t.args.state)
}

# commands(t): what a command module runs, as {"path" (below args), "text"}:
# free-form or `cmd` text (known, or with unresolved parts as written), or
# the `argv` items joined with spaces.
commands(t) := {{"path": [key], "text": text} |
	t.module in command_modules
	some key in ["_raw_params", "cmd"]
	text := t.args[key]
	is_string(text)
} | {{"path": ["argv"], "text": concat(" ", [shown(s) | some s in t.args.argv])} |
	t.module in command_modules
	is_array(t.args.argv)
}

# unknown_commands(t): a command clause could not resolve at all, as
# {"path", "text"} with its expression as written.
unknown_commands(t) := {{"path": [key], "text": t.args[key].__unknown__} |
	t.module in command_modules
	some key in ["_raw_params", "cmd", "argv"]
	unknown(t.args[key])
}
