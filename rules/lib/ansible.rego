# Helpers for Ansible rules: `import data.clause.lib.ansible as ans`.
#
# The input is one playbook or task file, flattened: input.tasks[i] holds
# `module` (fully qualified, e.g. "ansible.builtin.copy"), `args` (whatever
# form they were written in), `name`, and the task's keywords, including those
# inherited from its block or play (`become`, `no_log`, ...).
package clause.lib.ansible

import rego.v1

# tasks_in(modules): the tasks running one of the given fully qualified
# modules, by index ({i: task}): `some i, t in ans.tasks_in({"ansible.builtin.copy"})`.
# It reads input.tasks_by_module, the index clause builds, so a rule visits
# only the tasks it is about instead of every task of a playbook thousands of
# tasks long. An input without the index (one written by hand for a test)
# has every task looked at instead.
tasks_in(modules) := {i: input.tasks[i] |
	some m in modules
	some i in input.tasks_by_module[m]
} if input.tasks_by_module

tasks_in(modules) := {i: t |
	some i, t in input.tasks
	t.module in modules
} if not input.tasks_by_module

# looped(t): the task has a loop, `loop` or a `with_<lookup>` keyword that
# is not null.
looped(t) if t.loop != null

looped(t) if {
	some k, v in t
	startswith(k, "with_")
	v != null
}

# looped_tasks: the indices of the tasks that have a loop, from
# input.looped_tasks, the index clause builds (by hand-written inputs,
# from every task).
looped_tasks := {i | some i in input.looped_tasks} if input.looped_tasks

looped_tasks := {i | some i, t in input.tasks; looped(t)} if not input.looped_tasks

# tasks_using(modules): tasks running one of the given fully qualified
# modules, as {"task": ..., "index": i}.
tasks_using(modules) := {{"task": t, "index": i} |
	some i, t in tasks_in(modules)
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

# written_arg(t, path, v): the argument at `path` below the task's args (v
# is its value) as the playbook writes it, before clause rendered its
# templates: `{{ db_password }}` rather than the password it resolved to.
# Rules about which variable a task prints or passes on need the name.
written_arg(t, path, v) := text if {
	key := concat(".", [sprintf("%v", [s]) | some s in path])
	text := t.args_as_written[key]
} else := written(v)

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

# edit_modules: the modules of edit_path_keys, computed once per evaluation.
# Helpers test it first so that the thousands of tasks of a large playbook
# that edit no file cost one lookup each.
edit_modules := {m | some m, _ in edit_path_keys}

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
	some key in ["_raw_params", "cmd"]
	text := t.args[key]
	is_string(text)
} | {{"path": ["argv"], "text": concat(" ", [shown(s) | some s in t.args.argv])} |
	is_array(t.args.argv)
} if t.module in command_modules

commands(t) := set() if not t.module in command_modules

# unknown_commands(t): a command clause could not resolve at all, as
# {"path", "text"} with its expression as written.
unknown_commands(t) := {{"path": [key], "text": t.args[key].__unknown__} |
	some key in ["_raw_params", "cmd", "argv"]
	unknown(t.args[key])
} if t.module in command_modules

unknown_commands(t) := set() if not t.module in command_modules

# ---------------------------------------------------------------------------
# Services, packages, file modes and configuration files (added for the
# logging, account, key and sshd rules).

# Modules that start, stop, enable or mask a service.
service_modules := {
	"ansible.builtin.service", "ansible.builtin.systemd", "ansible.builtin.systemd_service",
	"ansible.builtin.sysvinit",
}

# service_name(t): the unit a service task manages, lower case, without a
# `.service` suffix (other unit types such as `.timer` keep theirs).
service_name(t) := trim_suffix(lower(trim_space(t.args.name)), ".service") if {
	t.module in service_modules
	is_string(t.args.name)
}

# service_off(t): how a service task turns its unit off, as [argument, verb]:
# stopped, masked or disabled, the setting that does the most first.
service_off(t) := ["state", "stops"] if {
	t.args.state == "stopped"
} else := ["masked", "masks"] if {
	is_true(t.args.masked)
} else := ["enabled", "disables"] if {
	is_false(t.args.enabled)
}

# service_on(t): a service task starts or enables its unit.
service_on(t) if t.args.state in {"started", "restarted", "reloaded"}

service_on(t) if is_true(t.args.enabled)

# service_off_unknown(t): the state, enabled or masked setting of a service
# task that does not turn its unit off, which clause cannot resolve, as
# {"key", "value"}.
service_off_unknown(t) := {{"key": key, "value": t.args[key]} |
	not service_off(t)
	some key in ["state", "enabled", "masked"]
	templated(t.args[key])
}

# Package managers and the arguments naming packages.
package_modules := {
	"ansible.builtin.apt", "ansible.builtin.dnf", "ansible.builtin.dnf5", "ansible.builtin.yum",
	"ansible.builtin.package", "community.general.zypper", "community.general.pacman",
	"community.general.apk",
}

# packages(t): the package names a package task manages, lower case, with
# the argument they are written in: {"name", "path" (below args)}. A list,
# or one string Ansible splits on commas.
packages(t) := {{"name": lower(trim_space(part)), "path": [key]} |
	t.module in package_modules
	some key in ["name", "pkg", "package"]
	is_string(t.args[key])
	some part in split(t.args[key], ",")
	trim_space(part) != ""
} | {{"name": lower(trim_space(item)), "path": [key, j]} |
	t.module in package_modules
	some key in ["name", "pkg", "package"]
	some j, item in list(t.args[key])
	is_string(item)
}

# package_removed(t): the task removes its packages.
package_removed(t) if t.args.state in {"absent", "removed", "purged"}

# package_installed(t): the task installs its packages (present is the default).
package_installed(t) if t.args.state in {"present", "installed", "latest"}

package_installed(t) if {
	t.module in package_modules
	not "state" in object.keys(t.args)
}

# mode_number(v): a file mode as Ansible reads it: an integer is the mode
# itself (YAML 1.1 reads 0755 as 493), a string of octal digits ("0755",
# "755", "0o755") is octal. Symbolic modes have no number.
mode_number(v) := v if {
	is_number(v)
	v >= 0
	v == floor(v)
}

mode_number(v) := n if {
	is_string(v)
	m := regex.find_all_string_submatch_n(`^(?:0o)?([0-7]{1,5})$`, trim_space(v), 1)
	count(m) == 1
	digits := m[0][1]
	n := sum([v |
		some j in numbers.range(0, count(digits) - 1)
		d := to_number(substring(digits, j, 1))
		w := [1, 8, 64, 512, 4096][(count(digits) - 1) - j]
		v := d * w
	])
}

# symbolic_clauses(v): the clauses of a symbolic mode ("u=rw,g+r,o-rwx"), as
# {"who", "op", "perms"}; `who` is "a" when the clause names no one (chmod
# then filters r/w/x through the umask).
symbolic_clauses(v) := [c |
	is_string(v)
	not templated(v)
	some clause in split(v, ",")
	parts := regex.find_all_string_submatch_n(`^([ugoa]*)([-+=])([rwxXstugo]*)$`, trim_space(clause), 1)
	count(parts) == 1
	c := {"who": parts[0][1], "op": parts[0][2], "perms": parts[0][3]}
]

# mode_text(v): a mode as users write it, for messages: YAML reads an
# unquoted 0640 as the number 416, which would puzzle a reader.
mode_text(v) := sprintf("%d%d%d%d", [floor(v / 512) % 8, floor(v / 64) % 8, floor(v / 8) % 8, v % 8]) if {
	mode_number(v) == v
	floor(v / 512) % 8 > 0
} else := sprintf("0%d%d%d", [floor(v / 64) % 8, floor(v / 8) % 8, v % 8]) if {
	mode_number(v) == v
} else := shown(v)

# written_text_lines(text): the trimmed, non-empty lines of a text a task
# writes, comments included (rules decide what a comment is in their file).
written_text_lines(text) := [trim_space(l) |
	is_string(text)
	some l in lines(text)
	trim_space(l) != ""
]

# edited_file(t, pattern): the first file (sorted) a task edits whose known
# path matches the regular expression.
edited_file(t, pattern) := files[0] if {
	t.module in edit_modules
	files := sort([f.value |
		some f in edited_files(t)
		is_string(f.value)
		regex.match(pattern, f.value)
	])
	count(files) > 0
}

# edited_file_unknown(t): a task edits a file whose path clause cannot
# resolve (so it may be any file), as the path shown.
edited_file_unknown(t) := files[0] if {
	t.module in edit_modules
	files := sort([shown(f.value) | some f in edited_files(t); templated(f.value)])
	count(files) > 0
}

# writes(t): the task writes its text (it does not remove it, and its state
# is known).
writes(t) if {
	not removes(t)
	not removal_unknown(t)
}

# --- sshd configuration --------------------------------------------------

# sshd_file(t): the sshd configuration file a task edits: sshd_config itself
# or a drop-in under sshd_config.d/, recognised by the literal end of its path
# even when its folder comes from a variable clause cannot resolve.
sshd_file(t) := edited_file(t, `(sshd_config$|/sshd_config\.d/)`)

# sshd_global_lines(text): the lines before any `Match` block: the settings
# sshd uses for every client.
sshd_global_lines(text) := array.slice(all, 0, end) if {
	is_string(text)
	all := lines(text)
	matches := [j | some j, l in all; regex.match(`^[[:space:]]*match[[:space:]]`, lower(l))]
	end := min(array.concat(matches, [count(all)]))
}

# sshd_first_setting(lines, keyword): the first line setting a keyword
# (lower case): sshd keeps the first value it reads.
sshd_first_setting(lines, keyword) := settings[0] if {
	pattern := sprintf(`^[[:space:]]*%s([[:space:]]|=)`, [keyword])
	settings := [l | some l in lines; regex.match(pattern, lower(l))]
	count(settings) > 0
}

# sshd_value(line): a setting's value: after the keyword and its separator
# (spaces or `=`), without a trailing comment or surrounding quotes.
sshd_value(line) := trim(trim_space(regex.replace(rest, `[[:space:]]+#.*$`, "")), `"`) if {
	m := regex.find_all_string_submatch_n(`^[[:space:]]*[A-Za-z0-9]+(?:[[:space:]]*=[[:space:]]*|[[:space:]]+)(.*)$`, line, 1)
	count(m) == 1
	rest := m[0][1]
}

# sshd_texts: the texts tasks write to the sshd configuration, computed once:
# {"index", "task", "key" (the argument holding the text), "lines" (before
# any Match block), "file", "how"}: "written" when the task writes it to a
# known sshd file; "state_unknown" when clause cannot resolve whether it is
# written or removed; "file_unknown" when the file's path is unresolved (it
# may be the sshd configuration).
sshd_texts := {x |
	some i, t in tasks_in(edit_modules)
	file := sshd_file(t)
	how := sshd_how(t)
	some e in edit_texts(t)
	lines := sshd_global_lines(e.value)
	x := {"index": i, "task": t, "key": e.key, "lines": lines, "file": file, "how": how}
} | {x |
	some i, t in tasks_in(object.keys(edit_path_keys))
	not sshd_file(t)
	file := edited_file_unknown(t)
	not removes(t)
	some e in edit_texts(t)
	lines := sshd_global_lines(e.value)
	x := {"index": i, "task": t, "key": e.key, "lines": lines, "file": file, "how": "file_unknown"}
}

# sshd_settings(keyword): the first global line setting a keyword (lower
# case) in each text of sshd_texts, as {"index", "task", "key", "line"
# (trimmed, without a trailing comment), "value", "file", "how"}.
sshd_settings(keyword) := {s |
	some x in sshd_texts
	line := sshd_first_setting(x.lines, keyword)
	s := {
		"index": x.index, "task": x.task, "key": x.key, "file": x.file, "how": x.how,
		"line": trim_space(regex.replace(line, `[[:space:]]+#.*$`, "")), "value": sshd_value(line),
	}
}

sshd_how(t) := "written" if writes(t)

sshd_how(t) := "state_unknown" if removal_unknown(t)

# sshd_unknown_texts: texts written to the sshd configuration that clause
# cannot resolve at all, as {"index", "task", "key", "text", "file"}.
sshd_unknown_texts contains {"index": i, "task": t, "key": e.key, "text": e.value.__unknown__, "file": file} if {
	some i, t in tasks_in(edit_modules)
	file := sshd_file(t)
	not removes(t)
	some e in edit_texts(t)
	unknown(e.value)
}

# value_unresolved(value): a setting's value holding an unresolved reference.
value_unresolved(value) if {
	is_string(value)
	regex.match(`\{\{|\{%`, value)
}

# --- Files and their modes -------------------------------------------------

# Modules that create or change a file and set its mode, with the arguments
# naming that file (and their aliases).
target_keys := {
	"ansible.builtin.file": ["path", "dest", "name"],
	"ansible.builtin.copy": ["dest"],
	"ansible.builtin.template": ["dest"],
	"ansible.builtin.get_url": ["dest"],
	"ansible.builtin.assemble": ["dest"],
	"ansible.builtin.uri": ["dest"],
	"ansible.builtin.lineinfile": ["path", "dest", "destfile", "name"],
	"ansible.builtin.blockinfile": ["path", "dest", "destfile", "name"],
	"ansible.builtin.replace": ["path", "dest", "destfile", "name"],
	"community.general.ini_file": ["path", "dest"],
	"community.general.htpasswd": ["path", "dest"],
	"community.general.xml": ["path", "dest"],
	"community.general.archive": ["dest"],
	"community.crypto.openssl_privatekey": ["path"],
	"community.crypto.openssl_privatekey_convert": ["dest_path"],
	"community.crypto.openssh_keypair": ["path"],
	"community.crypto.openssl_pkcs12": ["path"],
	"community.crypto.x509_certificate": ["path"],
}

# target_modules: the modules of target_keys, computed once per evaluation.
target_modules := {m | some m, _ in target_keys}

# target_files(t): the file a task creates or changes, {"key", "value"}: a
# string (known, or with unresolved parts) or an unknown.
target_files(t) := {{"key": k, "value": v} |
	some k in object.get(target_keys, t.module, [])
	v := t.args[k]
	v != null
}

# target_paths(t): the known paths (strings, possibly with unresolved parts)
# a task creates or changes, sorted.
target_paths(t) := sort([f.value | some f in target_files(t); is_string(f.value)])

# directory(t): the task manages a directory, not a file.
directory(t) if {
	t.module == "ansible.builtin.file"
	t.args.state == "directory"
}

directory(t) if {
	t.module == "ansible.builtin.file"
	is_true(t.args.recurse)
}

# mode_grants(v, class, perm): mode v (a number, an octal string or a
# symbolic mode) gives class "u", "g" or "o" the permission "r", "w", "x" or
# "s" (setuid for u, setgid for g). A symbolic mode is read clause by clause:
# the last clause touching the class and permission decides; a clause naming
# no one (`+w`) is filtered through the umask for r/w/x, so it only counts
# for s.
mode_grants(v, class, perm) if {
	n := mode_number(v)
	bits.and(n, mode_bits[class][perm]) != 0
}

mode_grants(v, class, perm) if {
	clauses := symbolic_clauses(v)
	touching := [c | some c in clauses; clause_names(c.who, class, perm); clause_touches(c, perm)]
	count(touching) > 0
	last := touching[count(touching) - 1]
	last.op != "-"
	contains(last.perms, perm)
}

mode_bits := {
	"u": {"r": 256, "w": 128, "x": 64, "s": 2048},
	"g": {"r": 32, "w": 16, "x": 8, "s": 1024},
	"o": {"r": 4, "w": 2, "x": 1, "s": 0},
}

clause_names(who, class, _) if contains(who, class)

clause_names(who, _, _) if contains(who, "a")

clause_names("", class, "s") if class in {"u", "g"}

clause_touches(c, perm) if contains(c.perms, perm)

clause_touches(c, _) if c.op == "="
