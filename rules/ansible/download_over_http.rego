# METADATA
# title: Software or signing key fetched over plain HTTP
# description: >-
#   A file, package, archive, source repository or signing key fetched over
#   http:// (or git://, svn://) travels unauthenticated: anyone on the network
#   path (a hostile Wi-Fi, a compromised router, a poisoned DNS answer) can
#   replace it with their own, and the host then runs or trusts it. ISO/IEC
#   27002 10.4.1 asks for controls that keep malicious code from reaching
#   systems, and 12.4.1 that software installed on operational systems come
#   from a controlled, verified source. Downloads pinned to a checksum
#   (get_url `checksum`, rpm_key `fingerprint`) are not flagged, nor are
#   package repositories (apt, yum baseurl) whose packages are checked against
#   a signing key: disabled signature checks are a separate rule. URLs are
#   read with their variables resolved; a URL whose scheme clause cannot
#   resolve, or a plain URL pinned to a checksum or fingerprint it cannot
#   resolve, is an inconclusive check.
# custom:
#   id: CL-ANS-002
#   severity: high
#   targets: [ansible]
#   controls:
#     iso27002:2005: ["10.4.1", "12.4.1"]
#     iso27002:2022: ["8.7", "8.19"]
#   remediation: >-
#     Use an https:// URL (or ssh/https for git and subversion). When the
#     server only offers HTTP, pin the content: give get_url or win_get_url a
#     `checksum` such as "sha256:<digest>" (or a checksum file served over
#     HTTPS), and rpm_key the key's `fingerprint`.
#   applies_to: [ansible.builtin.get_url, ansible.windows.win_get_url, ansible.builtin.uri, ansible.windows.win_uri, ansible.builtin.unarchive, ansible.builtin.apt_key, ansible.builtin.rpm_key, ansible.builtin.yum_repository, ansible.builtin.deb822_repository, ansible.builtin.apt, ansible.builtin.dnf, ansible.builtin.dnf5, ansible.builtin.yum, ansible.builtin.git, ansible.builtin.subversion]
package clause.rules.ansible.download_over_http

import data.clause.lib.ansible as ans
import rego.v1

# The arguments holding what the module fetches (with their aliases).
fetched := {
	"ansible.builtin.get_url": ["url"],
	"ansible.windows.win_get_url": ["url"],
	"ansible.builtin.uri": ["url"],
	"ansible.windows.win_uri": ["url"],
	"ansible.builtin.unarchive": ["src"],
	"ansible.builtin.apt_key": ["url"],
	"ansible.builtin.rpm_key": ["key"],
	"ansible.builtin.yum_repository": ["gpgkey"],
	"ansible.builtin.deb822_repository": ["signed_by"],
	"ansible.builtin.apt": ["deb"],
	"ansible.builtin.dnf": ["name", "pkg"],
	"ansible.builtin.dnf5": ["name", "pkg"],
	"ansible.builtin.yum": ["name", "pkg"],
	"ansible.builtin.git": ["repo", "name"],
	"ansible.builtin.subversion": ["repo", "name", "repository"],
}

# Package lists may be written as one comma-separated string.
package_modules := {"ansible.builtin.dnf", "ansible.builtin.dnf5", "ansible.builtin.yum"}

what := {
	"ansible.builtin.rpm_key": "the RPM signing key",
	"ansible.builtin.apt_key": "the APT signing key",
	"ansible.builtin.yum_repository": "the repository's signing key",
	"ansible.builtin.deb822_repository": "the repository's signing key",
	"ansible.builtin.apt": "a .deb package",
	"ansible.builtin.dnf": "a package",
	"ansible.builtin.dnf5": "a package",
	"ansible.builtin.yum": "a package",
	"ansible.builtin.git": "source code",
	"ansible.builtin.subversion": "source code",
}

deny contains {
	"msg": sprintf("%s fetches %s from %s, a plain %s:// URL anyone on the network path can tamper with", [ans.name(t), object.get(what, t.module, "a file"), u.url, u.scheme]),
	"path": array.concat(["tasks", i, "args"], u.path),
	"label": sprintf("unauthenticated %s download", [u.scheme]),
} if {
	some i, t in ans.tasks_in(object.keys(fetched))
	some u in plain_fetches(t)
	not pinned(t)
	not pin_unknown(t)
}

# Checks clause cannot decide: a plain URL pinned to a checksum or
# fingerprint it cannot resolve, or a URL it cannot resolve at all.
inconclusive contains {
	"msg": sprintf("%s fetches %s from %s, a plain %s:// URL, pinned to %s %s, which clause cannot resolve", [ans.name(t), object.get(what, t.module, "a file"), u.url, u.scheme, p.key, ans.shown(p.value)]),
	"path": array.concat(["tasks", i, "args"], u.path),
} if {
	some i, t in ans.tasks_in(object.keys(fetched))
	some u in plain_fetches(t)
	not pinned(t)
	some p in unknown_pins(t)
}

inconclusive contains {
	"msg": sprintf("%s fetches %s from %s, which clause cannot resolve: it may be a plain http:// URL", [ans.name(t), object.get(what, t.module, "a file"), u.url]),
	"path": array.concat(["tasks", i, "args"], u.path),
} if {
	some i, t in ans.tasks_in(url_modules)
	some key in fetched[t.module]
	some u in unresolved_urls(t, key)
	downloads(t)
	not pinned(t)
}

# plain_fetches(t): each URL the task fetches over a plain scheme, with its
# path below args and the scheme.
plain_fetches(t) := {{"path": u.path, "url": u.url, "scheme": scheme} |
	some key in fetched[t.module]
	some u in urls(t, key)
	scheme := plain_scheme(t.module, u.url)
	not local(u.url)
	downloads(t)
}

# Modules whose argument is always a URL (package names, archive and .deb
# paths are usually local, so an unresolved one is not worth a check).
url_modules := {
	"ansible.builtin.get_url", "ansible.windows.win_get_url", "ansible.builtin.uri",
	"ansible.windows.win_uri", "ansible.builtin.apt_key", "ansible.builtin.rpm_key",
	"ansible.builtin.yum_repository", "ansible.builtin.git", "ansible.builtin.subversion",
}

# unresolved_urls(t, key): URLs whose scheme is not written literally: an
# unknown value, or text that starts with an unresolved reference.
unresolved_urls(t, key) := {{"path": [key], "url": v.__unknown__} |
	v := t.args[key]
	ans.unknown(v)
} | {{"path": [key], "url": v} |
	v := t.args[key]
	no_scheme(v)
} | {{"path": [key, j], "url": ans.shown(item)} |
	some j, item in ans.list(t.args[key])
	unresolved(item)
}

unresolved(v) if ans.unknown(v)

unresolved(v) if no_scheme(v)

no_scheme(v) if {
	is_string(v)
	ans.templated(v)
	not regex.match(`^[a-z][a-z0-9+.-]*://`, lower(trim_space(v)))
}

# Each URL in the argument with the path to it: a string, a list of strings,
# or (package lists) one comma-separated string.
urls(t, key) := single | separated | listed if {
	v := t.args[key]
	single := {{"path": [key], "url": trim_space(v)} |
		is_string(v)
		not t.module in package_modules
	}
	separated := {{"path": [key], "url": trim_space(part)} |
		is_string(v)
		t.module in package_modules
		some part in split(v, ",")
	}
	listed := {{"path": [key, j], "url": trim_space(item)} |
		is_array(v)
		some j, item in v
		is_string(item)
	}
}

# The scheme, when it is one that neither encrypts nor authenticates.
plain_scheme(_, url) := "http" if regex.match(`^http://`, lower(url))

plain_scheme(module, url) := "git" if {
	module == "ansible.builtin.git"
	regex.match(`^git://`, lower(url))
}

plain_scheme(module, url) := "svn" if {
	module == "ansible.builtin.subversion"
	regex.match(`^svn://`, lower(url))
}

# Loopback traffic never leaves the host.
local(url) if regex.match(`^[a-z]+://([^@/]*@)?(localhost|127(\.[0-9]+){3}|\[::1\])(:[^/]*)?(/|$)`, lower(url))

# get_url / win_get_url verify a checksum after downloading; it protects the
# file unless the checksum itself comes over plain HTTP. A checksum whose
# algorithm is written and whose digest comes from a variable
# ("sha256:{{ app_sha256 }}") still pins the file.
pinned(t) if {
	t.module in {"ansible.builtin.get_url", "ansible.windows.win_get_url"}
	checksum := t.args.checksum
	is_string(checksum)
	checksum != ""
	not unknown_checksum(checksum)
	not regex.match(`^[a-z0-9]+:http://`, lower(trim_space(checksum)))
}

pinned(t) if {
	t.module == "ansible.windows.win_get_url"
	url := t.args.checksum_url
	is_string(url)
	not ans.templated(url)
	not regex.match(`^http://`, lower(trim_space(url)))
}

# rpm_key refuses a key whose fingerprint does not match.
pinned(t) if {
	t.module == "ansible.builtin.rpm_key"
	fingerprint := t.args.fingerprint
	fingerprint != null
	not ans.unknown(fingerprint)
	fingerprint != ""
	fingerprint != []
}

# A checksum that is only an unresolved reference: it may be empty or omitted.
unknown_checksum(checksum) if regex.match(`^[[:space:]]*\{\{[^}]*\}\}[[:space:]]*$`, checksum)

# unknown_pins(t): the pinning arguments clause cannot resolve.
unknown_pins(t) := {{"key": key, "value": v} |
	t.module in {"ansible.builtin.get_url", "ansible.windows.win_get_url"}
	some key in ["checksum", "checksum_url"]
	v := t.args[key]
	pin_value_unknown(v)
} | {{"key": "fingerprint", "value": v} |
	t.module == "ansible.builtin.rpm_key"
	v := t.args.fingerprint
	ans.unknown(v)
}

pin_value_unknown(v) if ans.unknown(v)

pin_value_unknown(v) if {
	is_string(v)
	unknown_checksum(v)
}

pin_unknown(t) if count(unknown_pins(t)) > 0

# uri only downloads when it writes the response to a file; other calls are
# API requests, not software.
downloads(t) if not t.module in {"ansible.builtin.uri", "ansible.windows.win_uri"}

downloads(t) if {
	t.module in {"ansible.builtin.uri", "ansible.windows.win_uri"}
	t.args.dest != null
}
