# METADATA
# title: Account given an empty password
# description: >-
#   An account whose password is empty has no authentication at all: whoever
#   types its name at a console, in su, or at any service that accepts
#   passwords (SSH with PermitEmptyPasswords, FTP, a PAM stack with `nullok`)
#   gets in, and nothing identifies who that was. `password: ""` on
#   ansible.builtin.user (or ansible.windows.win_user) sets exactly that, as
#   do `passwd -d`, `usermod -p ''` and an /etc/shadow line with an empty
#   password field. ISO/IEC 27002 11.5.2 asks that every user be identified and
#   authenticated by a suitable technique, and 11.5.3 that the password system
#   enforce quality passwords; an empty one is neither. A locked password
#   (`!` or `*`) is not empty and is not flagged; nor is removing an account.
# custom:
#   id: CL-ANS-016
#   severity: high
#   targets: [ansible]
#   controls:
#     iso27002:2005: ["11.5.2", "11.5.3"]
#     iso27002:2022: ["5.16", "5.17"]
#   remediation: >-
#     Give the account a password hash from the vault (`password: "{{
#     vault_alice_password | password_hash('sha512') }}"`), or lock its password
#     (`password: "!"`, `password_lock: true`) when it logs in with SSH keys
#     only or never logs in. Do not clear passwords with `passwd -d`.
#   applies_to: [ansible.builtin.user, ansible.windows.win_user, ansible.builtin.lineinfile, ansible.builtin.blockinfile, ansible.builtin.copy, ansible.builtin.replace, ansible.builtin.shell, ansible.builtin.command, ansible.builtin.raw, ansible.builtin.script, ansible.windows.win_command, ansible.windows.win_shell]
package clause.rules.ansible.user_empty_password

import data.clause.lib.ansible as ans
import data.clause.lib.ansible.command_modules
import data.clause.lib.ansible.edit_modules
import rego.v1

deny contains {
	"msg": sprintf("%s gives %s an empty password, so no secret is needed to log in as it wherever empty passwords are accepted", [ans.name(t), ans.shown(t.args.name)]),
	"path": ans.arg_path(i, "password"),
	"label": "empty password",
} if {
	some i, t in ans.tasks_in({"ansible.builtin.user", "ansible.windows.win_user"})
	t.args.password == ""
	not t.args.state == "absent"
	not ans.is_true(t.args.password_lock)
}

# /etc/shadow written directly: user::...
deny contains {
	"msg": sprintf("%s writes an empty password for %s to %s, so anyone can log in as it without a password", [ans.name(t), user, file]),
	"path": ans.arg_path(i, e.key),
	"label": "empty password",
} if {
	some i, t in ans.tasks_in(edit_modules)
	file := ans.edited_file(t, `(^|/)shadow$`)
	ans.writes(t)
	some e in ans.edit_texts(t)
	some line in ans.written_text_lines(e.value)
	m := regex.find_all_string_submatch_n(`^([a-z_][a-z0-9_.-]*\$?)::`, line, 1)
	count(m) == 1
	user := m[0][1]
}

# passwd -d, usermod -p ''.
deny contains {
	"msg": sprintf("%s runs %q, which leaves the account with an empty password", [ans.name(t), trim_space(m[0])]),
	"path": array.concat(["tasks", i, "args"], c.path),
	"label": "empty password",
} if {
	some i, t in ans.tasks_in(command_modules)
	some c in ans.commands(t)
	some m in regex.find_all_string_submatch_n(`(?:^|[;&|(\s])(?:sudo\s+)?(?:passwd\s+(?:-[a-zA-Z]*d[a-zA-Z]*|--delete)\s+[^;&|\s]+|usermod\s+(?:[^;&|]*?\s)?(?:-p|--password)(?:\s+|=)(?:''|"")(?:\s+[^;&|\s]+)?)`, c.text, -1)
}
