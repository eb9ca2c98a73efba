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
