# METADATA
# title: Password or secret written in plain text
# description: >-
#   A password, token, API key or private key written literally in a playbook
#   or role is readable by everyone who can read the repository, its history,
#   its forks and CI logs, and it cannot be rotated without a commit: it is no
#   longer a secret. ISO/IEC 27002 11.3.1 asks users to keep passwords
#   confidential and not to record them where they are not stored securely,
#   and 11.5.3 that password systems store and transmit passwords in a
#   protected form. Ansible Vault (`!vault` values or vaulted var files) or a
#   lookup from a secret store keeps the value out of the code. Templated
#   values, vaulted values, crypt/database hashes and locked-account markers
#   (`!`, `*`) are not flagged. A variable defined in plain text in role
#   defaults or vars, group_vars, host_vars or a vars file is reported where
#   a task passes it to a secret argument, with the place it is set; one the
#   play, the task or a set_fact defines is reported once, where it is
#   written. A variable no file in the scan defines is not in the code, so it
#   is not flagged.
# custom:
#   id: CL-ANS-006
#   severity: high
#   targets: [ansible]
#   controls:
#     iso27002:2005: ["11.3.1", "11.5.3"]
#     iso27002:2022: ["5.17"]
#   remediation: >-
#     Move the value out of the playbook: reference a variable defined in an
#     Ansible Vault file (`password: "{{ vault_db_password }}"`), encrypt it in
#     place with `ansible-vault encrypt_string`, or read it from a secret store
#     (`lookup('community.hashi_vault.hashi_vault', ...)`). For
#     ansible.builtin.user, pass a hash: `"{{ user_password | password_hash('sha512') }}"`.
#     Rotate the exposed secret.
#   applies_to: ["*"]
package clause.rules.ansible.plaintext_secret

import data.clause.lib.ansible as ans
import rego.v1

# Argument and variable names that hold a secret, matched on the whole name
# or its last `_`/`-`-separated part (db_password, GITHUB_TOKEN, X-Auth-Token,
# client_secret), and the HTTP Authorization header.
secret_suffix := `(^|[-_])(password|passwd|passphrase|pass_phrase|secret|token|api[-_]?key|secret[-_]key|secret[-_]access[-_]key|bind_pw|pwd|authorization)$`

# Names that match the pattern but hold a choice, not a secret.
not_secret_names := {"update_password", "password_lock", "token_type", "secret_type", "pwd"}

deny contains {
	"msg": sprintf("%s sets %s to %s%s", [ans.name(t), key, kind(value), hint(t, p)]),
	"path": array.concat(["tasks", i], p),
	"label": "plaintext secret",
} if {
	count(secret_parts) > 0
	some i, t in input.tasks
	some part, x in object.filter(t, task_parts)
	x in secret_parts
	some [q, value] in nodes(x)
	p := array.concat([part], q)
	key := p[count(p) - 1]
	secret(key, value)
	not reported_where_written(t, part, value)
}

task_parts := ["args", "vars", "loop", "with_items", "with_list", "with_dict", "module_defaults"]

# The values of those parts that hold a secret somewhere: a role included
# several times repeats its tasks, so each distinct value is searched once.
secret_parts := {x |
	some x in suspect_parts
	some [q, value] in nodes(x)
	secret(q[count(q) - 1], value)
}

# The values that mention a secret-like word or a private key anywhere in
# their text: only those are searched node by node. Every name `secret_name`
# accepts contains one of these words, and JSON escapes none of their
# characters, so no secret is left out.
suspect_parts := {x |
	some x in {part | some t in input.tasks; some _, part in object.filter(t, task_parts)}
	suspect(x)
}

suspect(x) if regex.match(`password|passwd|passphrase|pass_phrase|secret|token|api[-_]?key|bind_pw|pwd|authorization|private key-----`, lower(json.marshal(x)))

# An argument whose value comes through a variable the play, the task or a
# set_fact defines (`vars`, a loop's list, set_fact's arguments), where this
# rule reports it already.
# Values from role defaults, group_vars, host_vars or vars files are reported
# where a task uses them, with the place they are set.
reported_where_written(t, part, value) if {
	part in {"args", "module_defaults"}
	some source in ["vars", "loop", "with_items", "with_list", "with_dict"]
	some [p, v] in nodes(object.get(t, source, null))
	v == value
	secret(p[count(p) - 1], v)
}

reported_where_written(t, part, value) if {
	part in {"args", "module_defaults"}
	some [p, v] in nodes(input.plays[t.play].vars)
	v == value
	secret(p[count(p) - 1], v)
}

reported_where_written(t, part, value) if {
	part in {"args", "module_defaults"}
	some u in ans.tasks_in({"ansible.builtin.set_fact"})
	u != t
	some [p, v] in nodes(u.args)
	v == value
	secret(p[count(p) - 1], v)
}

# A block's environment is copied into each of its tasks: one message without
# the task's name reports it once. The play's own environment is reported on
# the play.
deny contains {
	"msg": sprintf("environment variable %s is set to %s", [key, kind(value)]),
	"path": array.concat(["tasks", i, "environment"], p),
	"label": "plaintext secret",
} if {
	count(secret_environments) > 0
	some i, t in input.tasks
	t.environment in secret_environments
	not from_play(t)
	some [p, value] in nodes(t.environment)
	key := p[count(p) - 1]
	secret(key, value)
}

# Blocks and plays copy their environment into each of their tasks: each
# distinct environment is searched once.
secret_environments := {e |
	some e in {t.environment | some t in input.tasks}
	suspect(e)
	some [p, value] in nodes(e)
	secret(p[count(p) - 1], value)
}

from_play(t) if input.plays[t.play].environment == t.environment

deny contains {
	"msg": sprintf("play %s sets %s %s to %s", [play_name(play), sections[section], key, kind(value)]),
	"path": array.concat(["plays", j, section], p),
	"label": "plaintext secret",
} if {
	some j, play in input.plays
	some section, _ in sections
	some [p, value] in nodes(play[section])
	count(p) > 0
	key := p[count(p) - 1]
	secret(key, value)
}

# nodes(x): every [path, value] below x, six levels deep at most (plenty for
# arguments).
nodes(x) := {[p, v] |
	walk(x, [p, v])
	count(p) > 0
	count(p) <= 6
}

sections := {"vars": "variable", "module_defaults": "module default", "environment": "environment variable"}

kind(value) := "a plaintext private key" if {
	is_string(value)
	contains(value, "PRIVATE KEY-----")
} else := "a plaintext value"

play_name(play) := sprintf("%q", [play.name]) if is_string(play.name)

play_name(play) := sprintf("for %v", [play.hosts]) if not is_string(play.name)

# A private key pasted into a value, whatever the name.
secret(_, value) if {
	is_string(value)
	contains(value, "PRIVATE KEY-----")
	not vaulted(value)
}

secret(key, value) if {
	is_string(key)
	secret_name(key)
	is_string(value)
	plaintext(value)
}

# A bare number is a password too (password: 123456).
secret(key, value) if {
	is_string(key)
	secret_name(key)
	is_number(value)
	regex.match(`(^|[-_])(password|passwd|passphrase|pwd)$`, lower(key))
}

secret_name(key) if {
	regex.match(secret_suffix, lower(key))
	not lower(key) in not_secret_names
}

plaintext(value) if {
	v := trim_space(value)
	v != ""
	ans.known(v)
	not vaulted(v)
	not hashed(v)
	not choice(v)
}

vaulted(v) if startswith(trim_space(v), "$ANSIBLE_VAULT;")

# Hashes are not the secret itself: crypt(3) ($6$, $2b$, $y$, $argon2id$),
# LDAP {SSHA}, MySQL *<sha1>, PostgreSQL md5/SCRAM; and `!`/`*` lock markers.
hashed(v) if regex.match(`^!?\$[a-z0-9-]+\$`, lower(v))

hashed(v) if regex.match(`^\{[a-z0-9.-]+\}`, lower(v))

hashed(v) if regex.match(`^\*[0-9a-f]{40}$`, lower(v))

hashed(v) if regex.match(`^md5[0-9a-f]{32}$`, lower(v))

hashed(v) if startswith(v, "SCRAM-SHA-256$")

hashed(v) if regex.match(`^[!*x]+$`, v)

# Booleans and the enumerations of secret-named options (update_password).
choice(v) if ans.is_true(v)

choice(v) if ans.is_false(v)

choice(v) if lower(v) in {"always", "on_create", "on_change", "none", "null", "~"}

hint(t, p) := " (ansible.builtin.user expects a crypt hash here)" if {
	t.module == "ansible.builtin.user"
	p == ["args", "password"]
} else := ""
