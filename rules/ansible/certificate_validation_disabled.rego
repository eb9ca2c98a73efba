# METADATA
# title: TLS certificate validation disabled
# description: >-
#   With certificate validation turned off, a module talking HTTPS (a download,
#   an API call, a package repository, a cloud or cluster endpoint) accepts
#   any certificate, so anyone on the network path can impersonate the server,
#   read the credentials sent to it and feed back tampered content. ISO/IEC
#   27002 10.8.1 asks that information exchanged over communication channels
#   be protected from interception and modification, and 12.3.1 that the
#   cryptographic controls in use be applied as the policy requires: TLS
#   without server authentication gives neither. The setting is judged as
#   Ansible resolves it (role defaults, group_vars and host_vars, play vars,
#   vars_files, role vars, block and task vars, set_fact, role parameters);
#   a value clause cannot resolve is an inconclusive check, not a finding.
# custom:
#   id: CL-ANS-001
#   severity: high
#   targets: [ansible]
#   controls:
#     iso27002:2005: ["10.8.1", "12.3.1"]
#     iso27002:2022: ["5.14", "8.24"]
#   remediation: >-
#     Remove `validate_certs: false` (validation is on by default) or set it to
#     true. For a private or self-signed CA, give the module its CA instead
#     (`ca_path` for get_url/uri, `ca_cert` for kubernetes.core and
#     community.docker, `aws_ca_bundle` for amazon.aws) or install the CA in
#     the host's trust store; for dnf/yum repositories set `sslverify: true` and
#     `sslcacert`.
#   applies_to: ["*"]
package clause.rules.ansible.certificate_validation_disabled

import data.clause.lib.ansible as ans
import rego.v1

# Modules whose arguments are variables, not settings of a connection.
not_connections := {"ansible.builtin.set_fact", "ansible.builtin.set_stats"}

# Other names some collections accept for validate_certs: aliases in
# kubernetes.core, community.docker and openstack.cloud, and dnf/yum's own
# `sslverify` (per transaction, or written into the .repo file by
# yum_repository).
aliases(module) := {"verify_ssl"} if {
	startswith(module, "kubernetes.core.")
} else := {"tls_verify"} if {
	startswith(module, "community.docker.")
} else := {"verify"} if {
	startswith(module, "openstack.cloud.")
} else := {"sslverify"} if {
	module in {"ansible.builtin.dnf", "ansible.builtin.dnf5", "ansible.builtin.yum", "ansible.builtin.yum_repository"}
} else := set()

deny contains {
	"msg": sprintf("%s sets %s to %v, so the server's TLS certificate is not checked", [ans.name(t), key, value]),
	"path": ans.arg_path(i, key),
} if {
	some i, t in input.tasks
	is_object(t.args)
	count(object.filter(t.args, setting_names)) > 0
	some key, value in settings(t)
	ans.is_false(value)
}

# A value clause could not resolve (an undefined variable, a lookup): the
# check cannot be decided here.
inconclusive contains {
	"msg": sprintf("%s sets %s to %s, which clause cannot resolve: the server's TLS certificate may not be checked", [ans.name(t), key, ans.shown(value)]),
	"path": ans.arg_path(i, key),
} if {
	some i, t in input.tasks
	is_object(t.args)
	count(object.filter(t.args, setting_names)) > 0
	some key, value in settings(t)
	ans.templated(value)
}

# Every name any module takes for the setting: most tasks set none, and are
# passed over without a helper call.
setting_names := {"validate_certs", "verify_ssl", "tls_verify", "verify", "sslverify"}

# settings(t): the certificate validation settings a task sets, by name.
settings(t) := {key: value |
	not t.module in not_connections
	some key in {"validate_certs"} | aliases(t.module)
	value := t.args[key]
}
