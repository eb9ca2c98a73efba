# METADATA
# title: SSH daemon offers broken ciphers, MACs or key exchanges
# description: >-
#   sshd negotiates the strongest algorithm both sides offer, but an attacker
#   in the middle can steer a connection toward the weakest one a client
#   accepts, and legacy clients pick it anyway. CBC-mode ciphers (plaintext
#   recovery), RC4 (arcfour), 3DES, Blowfish and CAST, MD5 and truncated
#   96/64-bit MACs, Diffie-Hellman group 1 (1024-bit, precomputation attacks
#   such as Logjam) and SHA-1 key exchanges, DSA and SHA-1 RSA signatures, and
#   SSH protocol 1 are all broken or deprecated by OpenSSH itself; offering
#   them weakens the confidentiality and integrity of every administrative
#   session. ISO/IEC 27002 12.3.1 asks that cryptographic controls be chosen
#   to the strength the protected information requires, and 10.8.1 that
#   information exchanged over communication channels be protected from
#   interception and modification. Lists that remove algorithms (`-cbc`) are
#   not flagged. Only the first value sshd reads counts; lines are read with
#   their variables resolved, and a list, file name or state clause cannot
#   resolve is an inconclusive check.
# custom:
#   id: CL-ANS-025
#   severity: medium
#   targets: [ansible]
#   controls:
#     iso27002:2005: ["12.3.1", "10.8.1"]
#     iso27002:2022: ["8.24", "5.14"]
#   remediation: >-
#     Drop the weak algorithms, or the whole line to keep OpenSSH's defaults.
#     For example `Ciphers chacha20-poly1305@openssh.com,aes256-gcm@openssh.com,aes128-gcm@openssh.com,aes256-ctr,aes192-ctr,aes128-ctr`,
#     `MACs hmac-sha2-512-etm@openssh.com,hmac-sha2-256-etm@openssh.com,umac-128-etm@openssh.com`,
#     `KexAlgorithms sntrup761x25519-sha512@openssh.com,curve25519-sha256,curve25519-sha256@libssh.org,diffie-hellman-group16-sha512,diffie-hellman-group18-sha512`,
#     and no ssh-dss or ssh-rsa in HostKeyAlgorithms or PubkeyAcceptedAlgorithms
#     (rsa-sha2-256 and rsa-sha2-512 keep RSA keys working). Remove `Protocol 1`.
#   applies_to: [ansible.builtin.lineinfile, ansible.builtin.blockinfile, ansible.builtin.copy, ansible.builtin.replace]
package clause.rules.ansible.sshd_weak_crypto

import data.clause.lib.ansible as ans
import data.clause.lib.ansible.sshd_unknown_texts
import rego.v1

# Keywords holding algorithm lists, with the weak algorithms of each (as
# regular expressions over one lower-case algorithm name).
weak := {
	"ciphers": `(cbc|arcfour|3des|blowfish|cast128|^none$)`,
	"macs": `^(hmac-md5|hmac-sha1-96|umac-64|hmac-ripemd160)`,
	"kexalgorithms": `^(diffie-hellman-group1-sha1|diffie-hellman-group14-sha1|diffie-hellman-group-exchange-sha1|gss-group1-sha1-|gss-gex-sha1-)`,
	"hostkeyalgorithms": `^(ssh-dss|ssh-rsa$|ssh-rsa-cert-v01@openssh\.com$)`,
	"pubkeyacceptedalgorithms": `^(ssh-dss|ssh-rsa$|ssh-rsa-cert-v01@openssh\.com$)`,
	"pubkeyacceptedkeytypes": `^(ssh-dss|ssh-rsa$|ssh-rsa-cert-v01@openssh\.com$)`,
	"casignaturealgorithms": `^(ssh-dss|ssh-rsa$)`,
}

deny contains {
	"msg": sprintf("%s writes %q to %s, so sshd offers %s", [ans.name(s.task), s.line, s.file, concat(", ", found)]),
	"path": ans.arg_path(s.index, s.key),
	"label": "weak SSH cryptography",
} if {
	some keyword, _ in all_keywords
	some s in ans.sshd_settings(keyword)
	s.how == "written"
	found := weak_found(keyword, s.value)
	count(found) > 0
}

inconclusive contains {
	"msg": sprintf("%s writes %q to %s, and clause cannot resolve the value: sshd may offer weak algorithms", [ans.name(s.task), s.line, s.file]),
	"path": ans.arg_path(s.index, s.key),
} if {
	some keyword, _ in all_keywords
	some s in ans.sshd_settings(keyword)
	s.how != "file_unknown"
	ans.value_unresolved(s.value)
	count(weak_found(keyword, s.value)) == 0
}

inconclusive contains {
	"msg": sprintf("%s writes %q to %s, which clause cannot resolve: if it is the sshd configuration, sshd offers %s", [ans.name(s.task), s.line, s.file, concat(", ", found)]),
	"path": ans.arg_path(s.index, s.key),
} if {
	some keyword, _ in all_keywords
	some s in ans.sshd_settings(keyword)
	s.how == "file_unknown"
	found := weak_found(keyword, s.value)
	count(found) > 0
}

inconclusive contains {
	"msg": sprintf("%s writes %q to %s with state %s, which clause cannot resolve: sshd may offer %s", [ans.name(s.task), s.line, s.file, ans.shown(s.task.args.state), concat(", ", found)]),
	"path": ans.arg_path(s.index, s.key),
} if {
	some keyword, _ in all_keywords
	some s in ans.sshd_settings(keyword)
	s.how == "state_unknown"
	found := weak_found(keyword, s.value)
	count(found) > 0
}

inconclusive contains {
	"msg": sprintf("%s writes %s to %s, which clause cannot resolve: sshd may offer weak ciphers, MACs or key exchanges", [ans.name(u.task), u.text, u.file]),
	"path": ans.arg_path(u.index, u.key),
} if {
	some u in sshd_unknown_texts
}

all_keywords := object.union(weak, {"protocol": ""})

# weak_found(keyword, value): the weak algorithms a list enables, sorted. A
# list starting with `-` removes algorithms from the default set; `+` and `^`
# add to it. Parts holding unresolved references are skipped.
weak_found(keyword, value) := sort([a |
	not startswith(trim_space(value), "-")
	some part in split(trim_left(trim_space(value), "+^"), ",")
	a := lower(trim_space(part))
	regex.match(weak[keyword], a)
]) if keyword != "protocol"

# Protocol 1 (alone or in "2,1"): the SSH-1 protocol, broken by design.
weak_found("protocol", value) := ["SSH protocol 1"] if {
	some part in split(value, ",")
	trim_space(part) == "1"
}

weak_found("protocol", value) := [] if {
	not "1" in {trim_space(p) | some p in split(value, ",")}
}
