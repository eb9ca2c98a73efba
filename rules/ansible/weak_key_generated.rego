# METADATA
# title: Cryptographic key generated with a weak algorithm or size
# description: >-
#   A key's strength is fixed when it is generated. RSA keys under 2048 bits
#   and Diffie-Hellman groups under 2048 bits are within reach of
#   well-resourced attackers (512- and 768-bit ones have been broken in
#   public, 1024-bit DH in precomputation attacks like Logjam); DSA is limited
#   to 1024 bits for SSH and withdrawn from FIPS 186-5; SSH protocol 1 keys
#   (rsa1) belong to a broken protocol; elliptic curves under 224 bits
#   (secp192r1, sect163k1, sect163r2) fall below every current guideline.
#   ISO/IEC 27002 12.3.2 asks that key management cover generating keys of
#   suitable strength for the systems that use them, and 12.3.1 that the
#   algorithms and key lengths in use match the protection required. The rule
#   reads community.crypto.openssl_privatekey (and _pipe), openssh_keypair
#   and openssl_dhparam, and `ssh-keygen`, `openssl genrsa`, `openssl req
#   -newkey`, `openssl genpkey` and `openssl dhparam` commands. Module
#   defaults (RSA 4096) are strong and not flagged; a type, size or curve
#   clause cannot resolve is an inconclusive check.
# custom:
#   id: CL-ANS-023
#   severity: medium
#   targets: [ansible]
#   controls:
#     iso27002:2005: ["12.3.2", "12.3.1"]
#     iso27002:2022: ["8.24"]
#   remediation: >-
#     Generate Ed25519 keys (`type: ed25519` for openssh_keypair, `type:
#     Ed25519` for openssl_privatekey), ECDSA on P-256 or stronger, or RSA of
#     at least 3072 bits (`size: 3072`; 2048 is the minimum); use
#     Diffie-Hellman parameters of 2048 bits or more (`size: 4096` for
#     openssl_dhparam), then replace the keys already deployed.
#   applies_to: [community.crypto.openssl_privatekey, community.crypto.openssl_privatekey_pipe, community.crypto.openssh_keypair, community.crypto.openssl_dhparam, ansible.builtin.shell, ansible.builtin.command, ansible.builtin.raw, ansible.builtin.script, ansible.windows.win_command, ansible.windows.win_shell]
package clause.rules.ansible.weak_key_generated

import data.clause.lib.ansible as ans
import data.clause.lib.ansible.command_modules
import rego.v1

openssl_modules := {"community.crypto.openssl_privatekey", "community.crypto.openssl_privatekey_pipe"}

min_bits := 2048

weak_curves := {"secp192r1", "sect163k1", "sect163r2", "prime192v1"}

# openssl_privatekey: type (RSA by default), size (4096 by default), curve.
deny contains {
	"msg": sprintf("%s generates a DSA private key, an algorithm withdrawn for new signatures", [ans.name(t)]),
	"path": ans.arg_path(i, "type"),
	"label": "weak key",
} if {
	some i, t in ans.tasks_in(openssl_modules)
	is_string(t.args.type)
	upper(t.args.type) == "DSA"
	present(t)
}

deny contains {
	"msg": sprintf("%s generates a %d-bit RSA key (fewer than %d bits)", [ans.name(t), size, min_bits]),
	"path": ans.arg_path(i, "size"),
	"label": "weak key",
} if {
	some i, t in ans.tasks_in(openssl_modules)
	openssl_type(t) == "RSA"
	size := bits(t.args.size)
	size < min_bits
	present(t)
}

deny contains {
	"msg": sprintf("%s generates a key on the curve %s, weaker than 224 bits", [ans.name(t), t.args.curve]),
	"path": ans.arg_path(i, "curve"),
	"label": "weak key",
} if {
	some i, t in ans.tasks_in(openssl_modules)
	openssl_type(t) == "ECC"
	is_string(t.args.curve)
	lower(t.args.curve) in weak_curves
	present(t)
}

openssl_type(t) := "RSA" if not "type" in object.keys(t.args)

openssl_type(t) := "RSA" if t.args.type == null

openssl_type(t) := upper(t.args.type) if is_string(t.args.type)

# openssh_keypair: type (rsa by default), size (4096 for rsa by default).
deny contains {
	"msg": sprintf("%s generates an SSH key of type %s, %s", [ans.name(t), t.args.type, ssh_weak_types[lower(t.args.type)]]),
	"path": ans.arg_path(i, "type"),
	"label": "weak key",
} if {
	some i, t in ans.tasks_in({"community.crypto.openssh_keypair"})
	is_string(t.args.type)
	ssh_weak_types[lower(t.args.type)]
	present(t)
}

ssh_weak_types := {
	"dsa": "limited to 1024 bits and disabled by default since OpenSSH 7.0",
	"rsa1": "for the broken SSH protocol 1",
}

deny contains {
	"msg": sprintf("%s generates a %d-bit RSA SSH key (fewer than %d bits)", [ans.name(t), size, min_bits]),
	"path": ans.arg_path(i, "size"),
	"label": "weak key",
} if {
	some i, t in ans.tasks_in({"community.crypto.openssh_keypair"})
	ssh_type(t) == "rsa"
	size := bits(t.args.size)
	size < min_bits
	present(t)
}

ssh_type(t) := "rsa" if not "type" in object.keys(t.args)

ssh_type(t) := "rsa" if t.args.type == null

ssh_type(t) := lower(t.args.type) if is_string(t.args.type)

# openssl_dhparam: size (4096 by default).
deny contains {
	"msg": sprintf("%s generates %d-bit Diffie-Hellman parameters (fewer than %d bits)", [ans.name(t), size, min_bits]),
	"path": ans.arg_path(i, "size"),
	"label": "weak key",
} if {
	some i, t in ans.tasks_in({"community.crypto.openssl_dhparam"})
	size := bits(t.args.size)
	size < min_bits
	present(t)
}

# Arguments clause cannot resolve.
inconclusive contains {
	"msg": sprintf("%s generates a key with %s %s, which clause cannot resolve: it may be a weak key", [ans.name(t), key, ans.shown(t.args[key])]),
	"path": ans.arg_path(i, key),
} if {
	some i, t in ans.tasks_in((openssl_modules | {"community.crypto.openssh_keypair", "community.crypto.openssl_dhparam"}))
	some key in ["type", "size", "curve"]
	ans.templated(t.args[key])
	present(t)
}

present(t) if not t.args.state == "absent"

bits(v) := v if {
	is_number(v)
	v == floor(v)
}

bits(v) := to_number(v) if {
	is_string(v)
	regex.match(`^[0-9]{1,6}$`, trim_space(v))
}

# Commands.
deny contains {
	"msg": sprintf("%s runs %q, which %s", [ans.name(t), trim_space(m.text), m.what]),
	"path": array.concat(["tasks", i, "args"], c.path),
	"label": "weak key",
} if {
	some i, t in ans.tasks_in(command_modules)
	some c in ans.commands(t)
	some m in command_keys(c.text)
}

command_keys(text) := ssh_keygen(text) | openssl_keys(text)

# ssh-keygen -t dsa|rsa1, or -b N < 2048 for RSA (the default type).
ssh_keygen(text) := {{"text": cmd, "what": what} |
	some found in regex.find_all_string_submatch_n(`(?:^|[;&|(\s])(?:sudo\s+)?ssh-keygen\s[^;&|]*`, text, -1)
	cmd := found[0]
	what := ssh_keygen_weakness(cmd)
}

ssh_keygen_weakness(cmd) := sprintf("generates a %s SSH key, %s", [upper(m[0][1]), ssh_weak_types[lower(m[0][1])]]) if {
	m := regex.find_all_string_submatch_n(`\s-t\s*(dsa|rsa1)\b`, cmd, 1)
	count(m) == 1
} else := sprintf("generates a %s-bit RSA SSH key (fewer than %d bits)", [m[0][1], min_bits]) if {
	not regex.match(`\s-t\s*(ecdsa|ed25519|ecdsa-sk|ed25519-sk|dsa)\b`, cmd)
	not regex.match(`\s-[a-zA-Z]*[lFRDKYLQ]`, cmd)
	m := regex.find_all_string_submatch_n(`\s-b\s*([0-9]+)\b`, cmd, 1)
	count(m) == 1
	to_number(m[0][1]) < min_bits
}

# openssl genrsa [opts] N, req -newkey rsa:N, genpkey rsa_keygen_bits:N,
# dhparam [opts] N, gendsa / dsaparam.
openssl_keys(text) := {{"text": found[0], "what": what} |
	some found in regex.find_all_string_submatch_n(`(?:^|[;&|(\s])(?:sudo\s+)?openssl\s+(?:genrsa|req|genpkey|dhparam|gendsa|dsaparam)\s?[^;&|]*`, text, -1)
	what := openssl_weakness(found[0])
}

openssl_weakness(cmd) := "generates a DSA key, an algorithm withdrawn for new signatures" if {
	regex.match(`openssl\s+(gendsa|dsaparam)\b`, cmd)
} else := sprintf("generates a %s-bit RSA key (fewer than %d bits)", [n, min_bits]) if {
	regex.match(`openssl\s+genrsa\b`, cmd)
	m := regex.find_all_string_submatch_n(`\s([0-9]{3,5})\s*$`, cmd, 1)
	n := m[0][1]
	to_number(n) < min_bits
} else := sprintf("generates a %s-bit RSA key (fewer than %d bits)", [m[0][1], min_bits]) if {
	m := regex.find_all_string_submatch_n(`(?:-newkey\s+rsa:|rsa_keygen_bits:)([0-9]+)`, cmd, 1)
	to_number(m[0][1]) < min_bits
} else := sprintf("generates %s-bit Diffie-Hellman parameters (fewer than %d bits)", [n, min_bits]) if {
	regex.match(`openssl\s+dhparam\b`, cmd)
	m := regex.find_all_string_submatch_n(`\s([0-9]{3,5})\s*$`, cmd, 1)
	n := m[0][1]
	to_number(n) < min_bits
}
