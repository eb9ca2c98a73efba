# METADATA
# title: Package signature checking disabled
# description: >-
#   Package managers verify a signature on every package (or on the
#   repository metadata that lists their checksums) so that only software
#   published by the distribution or vendor gets installed, even when a mirror,
#   proxy or connection is compromised. Turning the check off (apt
#   `allow_unauthenticated`/`force`, a `[trusted=yes]` repository, dnf/yum
#   `disable_gpg_check`, a repository with `gpgcheck: false`, zypper
#   `disable_gpg_check`, snap `dangerous`) installs whatever the server
#   returns, as root. ISO/IEC 27002 12.4.1 asks that software installed on
#   operational systems come from controlled, verified sources, and 10.4.1 for
#   controls that keep malicious code off systems. Options are judged as
#   Ansible resolves them; one clause cannot resolve is an inconclusive check.
# custom:
#   id: CL-ANS-010
#   severity: high
#   targets: [ansible]
#   controls:
#     iso27002:2005: ["12.4.1", "10.4.1"]
#     iso27002:2022: ["8.19", "8.7"]
#   remediation: >-
#     Remove the option (checking is on by default) and install the
#     repository's signing key instead: ansible.builtin.get_url the key over
#     HTTPS into /etc/apt/keyrings and reference it with `signed-by`, or
#     ansible.builtin.rpm_key with `fingerprint`, then set `gpgcheck: true`. For
#     apt, use `allow_downgrade` rather than `force` when a downgrade is the goal.
#   applies_to: [ansible.builtin.apt, ansible.builtin.apt_repository, ansible.builtin.deb822_repository, ansible.builtin.dnf, ansible.builtin.dnf5, ansible.builtin.yum, ansible.builtin.package, ansible.builtin.yum_repository, community.general.zypper, community.general.zypper_repository, community.general.snap, chocolatey.chocolatey.win_chocolatey]
package clause.rules.ansible.package_signature_check_disabled

import data.clause.lib.ansible as ans
import rego.v1

# Options that turn verification off when true, per module, with what they do.
disabling := {
	"ansible.builtin.apt": {
		"allow_unauthenticated": "installs unsigned packages",
		"force": "installs unsigned packages (force implies allow_unauthenticated)",
	},
	"ansible.builtin.deb822_repository": {
		"trusted": "trusts the repository without checking its signature",
		"allow_insecure": "accepts the repository unsigned",
		"allow_downgrade_to_insecure": "accepts the repository unsigned",
		"allow_weak": "accepts signatures made with weak algorithms",
	},
	"ansible.builtin.dnf": {"disable_gpg_check": "installs packages without checking their GPG signature"},
	"ansible.builtin.dnf5": {"disable_gpg_check": "installs packages without checking their GPG signature"},
	"ansible.builtin.yum": {"disable_gpg_check": "installs packages without checking their GPG signature"},
	"ansible.builtin.package": {"disable_gpg_check": "installs packages without checking their GPG signature"},
	"community.general.zypper": {"disable_gpg_check": "installs packages without checking their GPG signature"},
	"community.general.zypper_repository": {"disable_gpg_check": "adds a repository whose packages are not signature-checked"},
	"community.general.snap": {"dangerous": "installs snaps without checking their signatures and assertions"},
	"chocolatey.chocolatey.win_chocolatey": {"ignore_checksums": "installs packages without checking their checksums"},
}

deny contains {
	"msg": sprintf("%s sets %s: %v, which %s", [ans.name(t), key, value, what]),
	"path": ans.arg_path(i, key),
	"label": "signature check disabled",
} if {
	some i, t in ans.tasks_in(object.keys(disabling))
	some key, what in disabling[t.module]
	value := t.args[key]
	ans.is_true(value)
}

# yum_repository gpgcheck: false (packages from the repository are unchecked).
deny contains {
	"msg": sprintf("%s sets gpgcheck: %v, so packages from repository %s are installed without checking their signature", [ans.name(t), value, repo_name(t)]),
	"path": ans.arg_path(i, "gpgcheck"),
	"label": "signature check disabled",
} if {
	some i, t in ans.tasks_in({"ansible.builtin.yum_repository"})
	value := t.args.gpgcheck
	ans.is_false(value)
}

# apt_repository with `[trusted=yes]` (or allow-insecure=yes) in the sources line.
deny contains {
	"msg": sprintf("%s adds %q, which apt trusts without checking its signature", [ans.name(t), repo]),
	"path": ans.arg_path(i, "repo"),
	"label": "signature check disabled",
} if {
	some i, t in ans.tasks_in({"ansible.builtin.apt_repository"})
	repo := t.args.repo
	is_string(repo)
	not t.args.state == "absent"
	regex.match(`\[[^]]*(trusted|allow-insecure|allow-downgrade-to-insecure)=yes[^]]*\]`, lower(repo))
}

repo_name(t) := t.args.name if is_string(t.args.name)

repo_name(t) := t.args.name.__unknown__ if ans.unknown(t.args.name)

repo_name(t) := "(unnamed)" if {
	not is_string(t.args.name)
	not ans.unknown(t.args.name)
}

# Checks clause cannot decide because the deciding value is unresolved: an
# option that turns verification off, a repository's gpgcheck, or the whole
# sources line of an apt repository.
inconclusive contains {
	"msg": sprintf("%s sets %s to %s, which clause cannot resolve: if true, it %s", [ans.name(t), key, ans.shown(value), what]),
	"path": ans.arg_path(i, key),
} if {
	some i, t in ans.tasks_in(object.keys(disabling))
	some key, what in disabling[t.module]
	value := t.args[key]
	ans.templated(value)
}

inconclusive contains {
	"msg": sprintf("%s sets gpgcheck to %s, which clause cannot resolve: packages from repository %s may be installed without checking their signature", [ans.name(t), ans.shown(value), repo_name(t)]),
	"path": ans.arg_path(i, "gpgcheck"),
} if {
	some i, t in ans.tasks_in({"ansible.builtin.yum_repository"})
	value := t.args.gpgcheck
	ans.templated(value)
}

inconclusive contains {
	"msg": sprintf("%s adds the repository %s, which clause cannot fully resolve: apt may trust it without checking its signature", [ans.name(t), ans.shown(repo)]),
	"path": ans.arg_path(i, "repo"),
} if {
	some i, t in ans.tasks_in({"ansible.builtin.apt_repository"})
	repo := t.args.repo
	not t.args.state == "absent"
	options_unresolved(repo)
}

# A sources line whose options are unresolved: the whole line, or an
# options list (`[...]`) with an option that is only a reference (a value
# such as `arch={{ arch }}` cannot turn verification off).
options_unresolved(repo) if ans.unknown(repo)

options_unresolved(repo) if {
	is_string(repo)
	regex.match(`^[[:space:]]*\{\{[^}]*\}\}`, repo)
}

options_unresolved(repo) if {
	is_string(repo)
	regex.match(`\[([^]]*[[:space:]])?\{\{`, repo)
	not regex.match(`\[[^]]*(trusted|allow-insecure|allow-downgrade-to-insecure)=yes[^]]*\]`, lower(repo))
}
