# METADATA
# title: Private key file readable or writable by every local user
# description: >-
#   A TLS, SSH or other private key that every local account can read is a
#   copied key: any user, compromised service or container with the host path
#   mounted can take it and impersonate the server, decrypt recorded traffic
#   (without forward secrecy) or log in wherever the key is trusted; one they
#   can write can be swapped for the attacker's own. ISO/IEC 27002 12.3.2 asks
#   that cryptographic keys be protected against disclosure and modification
#   and that secret and private keys be stored securely. A private key is
#   recognised by its path (id_rsa, id_ed25519 and other SSH identities,
#   ssh_host_*_key, *.key outside package keyrings, *key*.pem, *.p12, *.pfx,
#   anything in a private/ folder under /etc) or by `PRIVATE KEY-----` in the content
#   written, and by the community.crypto modules that write keys. Access for
#   the file's group is not flagged (ssl-cert and ssh_keys groups rely on it).
#   Modes are judged as Ansible resolves them; a mode clause cannot resolve,
#   `mode: preserve`, or a key copied or templated without a mode (it then
#   gets the remote umask's default, 0644 with the common 022) is an
#   inconclusive check.
# custom:
#   id: CL-ANS-022
#   severity: high
#   targets: [ansible]
#   controls:
#     iso27002:2005: ["12.3.2"]
#     iso27002:2022: ["8.24"]
#   remediation: >-
#     Set `mode: "0600"` (or "0640" with `group:` set to the group of the
#     service that reads the key, e.g. ssl-cert) and `owner:` to the account
#     that uses it, on every task that writes the key; keep the key's content
#     in Ansible Vault.
#   applies_to: [ansible.builtin.copy, ansible.builtin.template, ansible.builtin.file, ansible.builtin.get_url, ansible.builtin.assemble, ansible.builtin.uri, ansible.builtin.lineinfile, ansible.builtin.blockinfile, ansible.builtin.replace, community.general.ini_file, community.general.htpasswd, community.general.xml, community.general.archive, community.crypto.openssl_privatekey, community.crypto.openssl_privatekey_convert, community.crypto.openssh_keypair, community.crypto.openssl_pkcs12, community.crypto.x509_certificate]
package clause.rules.ansible.private_key_readable

import data.clause.lib.ansible as ans
import data.clause.lib.ansible.target_modules
import rego.v1

# Modules whose file is always a private key.
key_modules := {
	"community.crypto.openssl_privatekey", "community.crypto.openssl_privatekey_convert",
	"community.crypto.openssh_keypair", "community.crypto.openssl_pkcs12",
}

# Modules that create a file, taking the umask's mode when none is given.
creating := {"ansible.builtin.copy", "ansible.builtin.template", "ansible.builtin.get_url", "ansible.builtin.assemble"}

deny contains {
	"msg": sprintf("%s sets the mode of private key %s to %s, which lets %s", [ans.name(t), key, ans.mode_text(t.args.mode), access(t.args.mode)]),
	"path": ans.arg_path(i, "mode"),
	"label": "private key exposed",
} if {
	some i, t in ans.tasks_in(writing)
	t.args.mode in exposing_modes
	key := private_key(t)
}

inconclusive contains {
	"msg": sprintf("%s sets the mode of private key %s to %s, which clause cannot resolve: every local user may be able to read it", [ans.name(t), key, ans.shown(t.args.mode)]),
	"path": ans.arg_path(i, "mode"),
} if {
	some i, t in ans.tasks_in(writing)
	t.args.mode in unresolved_modes
	key := private_key(t)
}

inconclusive contains {
	"msg": sprintf("%s writes private key %s without a mode: it gets the remote umask's default, 0644 (readable by every local user) with the common 022", [ans.name(t), key]),
	"path": ans.task_path(i),
} if {
	some i, t in ans.tasks_in(creating)
	not "mode" in object.keys(t.args)
	key := private_key(t)
}

# The modes the tasks set: a playbook's thousands of tasks share a few
# dozen, so each is read once rather than once per task.
modes := {m | some t in ans.tasks_in(writing); m := t.args.mode}

# The modules whose tasks can write a key: those that name the file they
# write (ans.target_keys) and those whose file is always a key.
writing := target_modules | key_modules

exposing_modes := {m | some m in modes; others_access(m)}

unresolved_modes := {m | some m in modes; unresolved_mode(m)}

# private_key(t): the key file a task writes or changes, as shown.
private_key(t) := shown_target(t) if {
	not ans.directory(t)
	t.module in key_modules
} else := paths[0] if {
	not ans.directory(t)
	paths := [p | some p in ans.target_paths(t); key_path(lower(p))]
	count(paths) > 0
} else := shown_target(t) if {
	t.module == "ansible.builtin.copy"
	contains(ans.written(t.args.content), "PRIVATE KEY-----")
}

# The file a task writes, as a message shows it.
shown_target(t) := shown[0] if {
	shown := sort([ans.shown(f.value) | some f in ans.target_files(t)])
	count(shown) > 0
}

# SSH identities and host keys (not their .pub), TLS keys by extension or
# folder, key stores.
key_path(p) if regex.match(`(^|/)(id_rsa|id_dsa|id_ecdsa|id_ed25519|id_ecdsa_sk|id_ed25519_sk|identity)$`, p)

key_path(p) if regex.match(`(^|/)ssh_host_[a-z0-9]+_key$`, p)

key_path(p) if {
	endswith(p, ".key")
	not public_keyring(p)
	not regex.match(`licen[cs]e`, p)
}

key_path(p) if {
	regex.match(`(^|/)[^/]*(key|priv)[^/]*\.pem$`, p)
	not regex.match(`(^|/)[^/]*pub[^/]*$`, p)
}

key_path(p) if regex.match(`\.(p12|pfx)$`, p)

key_path(p) if {
	startswith(p, "/etc/")
	contains(p, "/private/")
	not endswith(p, "/private/")
	not regex.match(`\.(pub|crt|cer|csr)$`, p)
}

# Package signing keys are public, whatever their extension.
public_keyring(p) if regex.match(`(^/etc/apt/|^/usr/share/keyrings/|^/etc/pki/rpm-gpg/|/rpm-gpg|gpg|release\.key$|\.pub\.key$|public)`, p)

# Read or write for others (execute alone discloses nothing).
others_access(mode) if ans.mode_grants(mode, "o", "r")

others_access(mode) if ans.mode_grants(mode, "o", "w")

access(mode) := "every local user read and replace it" if {
	ans.mode_grants(mode, "o", "r")
	ans.mode_grants(mode, "o", "w")
} else := "every local user read it" if {
	ans.mode_grants(mode, "o", "r")
} else := "every local user replace it"

unresolved_mode(mode) if ans.templated(mode)

unresolved_mode(mode) if mode == "preserve"
