# METADATA
# title: API server keeps no audit log of who used the cluster
# description: >-
#   kube-apiserver records audit events only when it has both an audit policy
#   (`--audit-policy-file`) and a backend to write them to (`--audit-log-path`
#   for a file or `-` for standard output, or `--audit-webhook-config-file`);
#   lacking either, nothing is recorded of who read Secrets, exec'd into pods,
#   changed RBAC or deleted workloads, and failed or denied requests leave no
#   trace. Kubernetes sets neither by default, and kubeadm adds neither. A
#   log file rotated away after fewer than 30 days (`--audit-log-maxage`) is
#   gone before most incidents are noticed. ISO/IEC 27002 10.10.1 asks that
#   audit logs of user activities, exceptions and security events be produced
#   and kept for an agreed period, and 10.10.2 that the use of information
#   processing facilities (authorized access, privileged operations,
#   unauthorized access attempts) be monitored and the results reviewed; the
#   API server's audit log is the record of every use of the cluster that
#   such monitoring works from. Flags are read from containers that run
#   kube-apiserver (static Pods and any workload kind; `--flag=value` or
#   `--flag value`, in `command` or `args`) and from a kubeadm
#   ClusterConfiguration's `apiServer.extraArgs`; what the policy records is
#   checked by CL-K8S-031. Values a template fills in are reported as
#   inconclusive.
# custom:
#   id: CL-K8S-038
#   severity: medium
#   targets: [kubernetes]
#   controls:
#     iso27002:2005: ["10.10.1", "10.10.2"]
#     iso27002:2022: ["8.15", "8.16"]
#   remediation: >-
#     Start kube-apiserver with `--audit-policy-file=/etc/kubernetes/audit-policy.yaml`
#     (a policy recording at least Metadata for every request) and
#     `--audit-log-path=/var/log/kubernetes/audit/audit.log` (or `-` when a
#     node agent collects standard output, or `--audit-webhook-config-file`
#     to send events to a collector), with `--audit-log-maxage=30` or more,
#     `--audit-log-maxbackup` and `--audit-log-maxsize`; mount both paths into
#     the static Pod. With kubeadm, put the same flags in
#     `apiServer.extraArgs` and the paths in `apiServer.extraVolumes`.
#   applies_to: [Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob, PodTemplate, DeploymentConfig, Rollout, ClusterConfiguration]
#   mentions: [apiserver, ClusterConfiguration]
package clause.rules.kubernetes.apiserver_audit_log_disabled

import data.clause.lib.kubernetes_components as kc
import data.clause.lib.kubernetes_components.apiservers
import data.clause.lib.kubernetes_components.templated_apiservers
import rego.v1

# given(a, name): the flag is written with a known, non-empty value.
given(a, name) if {
	o := a.flags[name]
	not kc.unknown(o.value)
	trim(o.value, `"' `) != ""
}

unknown_flag(a, name) if kc.unknown(a.flags[name].value)

backends := ["audit-log-path", "audit-webhook-config-file"]

has_backend(a) if {
	some name in backends
	given(a, name)
}

backend_unknown(a) if {
	some name in backends
	unknown_flag(a, name)
}

# no_policy(a): where the missing audit policy belongs: the flags when
# --audit-policy-file is not written, the value when it is written empty
# (which turns auditing off).
no_policy(a) := a.path if {
	not a.flags["audit-policy-file"]
	not a.opaque
}

no_policy(a) := a.flags["audit-policy-file"].path if trim(a.flags["audit-policy-file"].value, `"' `) == ""

deny contains v if {
	some a in apiservers
	path := no_policy(a)
	v := {
		"msg": sprintf("%s gives no --audit-policy-file, so it records no audit events: nothing shows who read, changed or deleted what", [a.label]),
		"path": path,
		"label": "no audit log",
	}
}

inconclusive contains v if {
	some a in apiservers
	not a.flags["audit-policy-file"]
	a.opaque
	v := {
		"msg": sprintf("%s sets no --audit-policy-file among the flags written, and more come from a template or a configuration file", [a.label]),
		"path": a.path,
	}
}

inconclusive contains v if {
	some a in apiservers
	unknown_flag(a, "audit-policy-file")
	v := {
		"msg": sprintf("%s takes --audit-policy-file from a template", [a.label]),
		"path": a.flags["audit-policy-file"].path,
	}
}

# A policy and nowhere to write the events.
deny contains v if {
	some a in apiservers
	given(a, "audit-policy-file")
	not has_backend(a)
	not backend_unknown(a)
	not a.opaque
	v := {
		"msg": sprintf("%s has an audit policy but neither --audit-log-path nor --audit-webhook-config-file, so its audit events are written nowhere", [a.label]),
		"path": a.path,
		"label": "no audit backend",
	}
}

inconclusive contains v if {
	some a in apiservers
	given(a, "audit-policy-file")
	not has_backend(a)
	backend_unknown(a)
	some name in backends
	unknown_flag(a, name)
	v := {
		"msg": sprintf("%s takes --%s from a template", [a.label, name]),
		"path": a.flags[name].path,
	}
}

inconclusive contains v if {
	some a in apiservers
	given(a, "audit-policy-file")
	not has_backend(a)
	not backend_unknown(a)
	a.opaque
	v := {
		"msg": sprintf("%s sets no audit backend among the flags written, and more come from a template or a configuration file", [a.label]),
		"path": a.path,
	}
}

inconclusive contains v if {
	some t in templated_apiservers
	v := {
		"msg": sprintf("%s takes its kube-apiserver command line from a template, so whether it keeps an audit log is not known", [t.label]),
		"path": t.path,
	}
}

# Log files deleted too soon (0, the default, keeps them regardless of age).
minimum_days := 30

writes_file(a) if {
	given(a, "audit-log-path")
	trim(a.flags["audit-log-path"].value, `"' `) != "-"
}

deny contains v if {
	some a in apiservers
	writes_file(a)
	o := a.flags["audit-log-maxage"]
	regex.match(`^\s*[0-9]+\s*$`, o.value)
	days := to_number(trim_space(o.value))
	days > 0
	days < minimum_days
	v := {
		"msg": sprintf("%s deletes audit log files after %v days (--audit-log-maxage=%s); keep them for at least %d days", [a.label, days, o.value, minimum_days]),
		"path": o.path,
		"label": "audit log kept too briefly",
	}
}

inconclusive contains v if {
	some a in apiservers
	writes_file(a)
	o := a.flags["audit-log-maxage"]
	kc.unknown(o.value)
	v := {
		"msg": sprintf("%s takes --audit-log-maxage from a template", [a.label]),
		"path": o.path,
	}
}
