# METADATA
# title: Password stored with a broken hash algorithm
# description: >-
#   Password hashes leak: a backup of /etc/shadow, a copy of the playbook's
#   variables, an htpasswd file served by mistake. Modern schemes (yescrypt,
#   SHA-512 crypt with many rounds, bcrypt) make each guess expensive; MD5
#   crypt (`$1$`, Apache `$apr1$`), BSDi and Sun MD5 crypt, NT hashes, and
#   unsalted MD5 or SHA-1 (`{SHA}`) can be cracked at billions of guesses a
#   second on one GPU, so most real passwords fall within hours. ISO/IEC 27002
#   11.5.3 asks that the password management system store passwords in a
#   protected form. The rule reads the hash given to ansible.builtin.user's
#   `password` (also when it comes from a `password_hash('md5')` filter), and
#   community.general.htpasswd's `crypt_scheme` when it names a weak scheme.
#   Locked hashes (`!$1$...`) are not flagged.
# custom:
#   id: CL-ANS-017
#   severity: medium
#   targets: [ansible]
#   controls:
#     iso27002:2005: ["11.5.3"]
#     iso27002:2022: ["5.17"]
#   remediation: >-
#     Hash with SHA-512 crypt or yescrypt: `password: "{{ vault_pw |
#     password_hash('sha512') }}"` (or a `$6$`/`$y$` hash made with `mkpasswd
#     -m yescrypt`); for htpasswd use `crypt_scheme: bcrypt`. Then have the
#     users set new passwords, since the old hashes may already be copied.
#   applies_to: [ansible.builtin.user, community.general.htpasswd]
package clause.rules.ansible.user_weak_password_hash

import data.clause.lib.ansible as ans
import rego.v1

deny contains {
	"msg": sprintf("%s gives %s a password hashed with %s, which can be cracked quickly if the hash leaks", [ans.name(t), ans.shown(t.args.name), scheme]),
	"path": ans.arg_path(i, "password"),
	"label": "weak password hash",
} if {
	some i, t in ans.tasks_in({"ansible.builtin.user"})
	not t.args.state == "absent"
	scheme := weak_hash(t.args.password)
}

# The hash type given to the password_hash filter, when the rest of the
# value cannot be resolved (the password itself comes from the vault).
deny contains {
	"msg": sprintf("%s hashes %s's password with password_hash('%s'), which can be cracked quickly if the hash leaks", [ans.name(t), ans.shown(t.args.name), m[1]]),
	"path": ans.arg_path(i, "password"),
	"label": "weak password hash",
} if {
	some i, t in ans.tasks_in({"ansible.builtin.user"})
	not t.args.state == "absent"
	some m in regex.find_all_string_submatch_n(`password_hash\(\s*['"](md5|md5_crypt|des|des_crypt|bsdi_crypt|bsd_nthash|nthash|sun_md5_crypt|apr_md5_crypt|crypt16|bigcrypt)['"]`, ans.written(t.args.password), 1)
}

deny contains {
	"msg": sprintf("%s stores %s's web password with crypt_scheme %s, which can be cracked quickly if the file leaks", [ans.name(t), ans.shown(t.args.name), t.args.crypt_scheme]),
	"path": ans.arg_path(i, "crypt_scheme"),
	"label": "weak password hash",
} if {
	some i, t in ans.tasks_in({"community.general.htpasswd"})
	not t.args.state == "absent"
	t.args.crypt_scheme in weak_schemes
}

inconclusive contains {
	"msg": sprintf("%s stores %s's web password with crypt_scheme %s, which clause cannot resolve: it may be a weak scheme", [ans.name(t), ans.shown(t.args.name), ans.shown(t.args.crypt_scheme)]),
	"path": ans.arg_path(i, "crypt_scheme"),
} if {
	some i, t in ans.tasks_in({"community.general.htpasswd"})
	not t.args.state == "absent"
	ans.templated(t.args.crypt_scheme)
}

weak_schemes := {
	"plaintext", "ldap_plaintext", "des_crypt", "bsdi_crypt", "bigcrypt", "crypt16", "md5_crypt",
	"apr_md5_crypt", "ldap_md5", "ldap_salted_md5", "ldap_sha1", "ldap_salted_sha1", "ldap_des_crypt",
	"ldap_md5_crypt", "hex_md5", "hex_sha1", "nthash", "bsd_nthash", "sun_md5_crypt",
}

weak_hash(v) := "MD5 crypt ($1$)" if {
	is_string(v)
	startswith(v, "$1$")
} else := "Apache MD5 ($apr1$)" if {
	is_string(v)
	startswith(v, "$apr1$")
} else := "Sun MD5 crypt ($md5$)" if {
	is_string(v)
	regex.match(`^\$md5[$,]`, v)
} else := "NT hash ($3$)" if {
	is_string(v)
	startswith(v, "$3$")
} else := "BSDi DES crypt (_)" if {
	is_string(v)
	regex.match(`^_[./0-9A-Za-z]{19}$`, v)
} else := "unsalted MD5 or SHA-1 ({MD5}/{SHA})" if {
	is_string(v)
	regex.match(`^\{(MD5|SHA|SMD5|SSHA)\}`, upper(v))
}
