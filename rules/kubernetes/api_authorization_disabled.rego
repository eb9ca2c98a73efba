# METADATA
# title: API server or kubelet authorizes every request
# description: >-
#   An API server running with `--authorization-mode=AlwaysAllow` (the
#   kube-apiserver default when neither `--authorization-mode` nor
#   `--authorization-config` is given) checks no permission at all: every
#   identity that authenticates, including the service account token mounted
#   into any pod, acts as cluster-admin and can read every Secret, start
#   privileged pods and rewrite RBAC. A non-zero `--insecure-port` (removed in
#   Kubernetes 1.24) serves the whole API over plain HTTP with neither
#   authentication nor authorization. A kubelet with `authorization.mode:
#   AlwaysAllow` (or `--authorization-mode=AlwaysAllow`) lets any caller that
#   reaches port 10250 and authenticates run commands in, and read logs of,
#   every container on the node. ISO/IEC 27002 10.6.2 asks that the security
#   features of network services, such as authentication and access controls
#   on connections, be identified and put in place, and 11.6.1 that access to
#   information and application functions be restricted in line with the
#   access control policy; an authorizer that allows everything provides
#   neither. Flags are read from containers that run kube-apiserver (static
#   Pods and any workload kind; `--flag=value` or `--flag value`, in `command`
#   or `args`), from a kubeadm ClusterConfiguration's `apiServer.extraArgs`
#   (kubeadm sets `Node,RBAC` itself), from KubeletConfiguration and from
#   kubeadm's `kubeletExtraArgs`; values a template fills in are reported as
#   inconclusive.
# custom:
#   id: CL-K8S-036
#   severity: critical
#   targets: [kubernetes]
#   controls:
#     iso27002:2005: ["10.6.2", "11.6.1"]
#     iso27002:2022: ["8.21", "8.3"]
#   remediation: >-
#     Give kube-apiserver `--authorization-mode=Node,RBAC` (or a structured
#     `--authorization-config` whose authorizers are Node and RBAC, and Webhook
#     where needed), never AlwaysAllow; remove `--insecure-port` (or set it to
#     0) and reach the API only on the secure port; set the kubelet's
#     `authorization: {mode: Webhook}` in its KubeletConfiguration (and drop any
#     `authorization-mode` kubelet flag).
#   applies_to: [Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob, PodTemplate, DeploymentConfig, Rollout, ClusterConfiguration, KubeletConfiguration, InitConfiguration, JoinConfiguration]
#   mentions: [apiserver, kubelet]
package clause.rules.kubernetes.api_authorization_disabled

import data.clause.lib.kubernetes_components as kc
import data.clause.lib.kubernetes_components.apiservers
import data.clause.lib.kubernetes_components.kubelet_config
import data.clause.lib.kubernetes_components.kubelet_flags
import data.clause.lib.kubernetes_components.label
import data.clause.lib.kubernetes_components.templated_apiservers
import rego.v1

modes(value) := [trim_space(m) | some m in split(value, ",")]

# --authorization-mode lists AlwaysAllow.
deny contains v if {
	some a in apiservers
	o := a.flags["authorization-mode"]
	"AlwaysAllow" in modes(o.value)
	v := {
		"msg": sprintf("%s authorizes every request: --authorization-mode=%s lets any authenticated identity act as cluster-admin", [a.label, o.value]),
		"path": o.path,
		"label": "no authorization",
	}
}

inconclusive contains v if {
	some a in apiservers
	o := a.flags["authorization-mode"]
	kc.unknown(o.value)
	not "AlwaysAllow" in modes(o.value)
	v := {
		"msg": sprintf("%s takes --authorization-mode from a template", [a.label]),
		"path": o.path,
	}
}

# Neither flag: kube-apiserver falls back to AlwaysAllow (kubeadm always
# passes Node,RBAC, so its configuration is not concerned).
unset(a) if {
	a.source == "container"
	not a.flags["authorization-mode"]
	not a.flags["authorization-config"]
}

deny contains v if {
	some a in apiservers
	unset(a)
	not a.opaque
	v := {
		"msg": sprintf("%s sets neither --authorization-mode nor --authorization-config, so it authorizes every request (the default mode is AlwaysAllow)", [a.label]),
		"path": a.path,
		"label": "no authorization",
	}
}

inconclusive contains v if {
	some a in apiservers
	unset(a)
	a.opaque
	v := {
		"msg": sprintf("%s sets no authorization mode among the flags written, and more come from a template or a configuration file", [a.label]),
		"path": a.path,
	}
}

inconclusive contains v if {
	some t in templated_apiservers
	v := {
		"msg": sprintf("%s takes its kube-apiserver command line from a template, so its authorization mode is not known", [t.label]),
		"path": t.path,
	}
}

# The insecure port: no authentication, no authorization, no TLS.
deny contains v if {
	some a in apiservers
	o := a.flags["insecure-port"]
	not kc.unknown(o.value)
	regex.match(`^\s*[0-9]+\s*$`, o.value)
	to_number(trim_space(o.value)) != 0
	v := {
		"msg": sprintf("%s serves the API on --insecure-port=%s over plain HTTP, without authentication or authorization", [a.label, o.value]),
		"path": o.path,
		"label": "unauthenticated port",
	}
}

inconclusive contains v if {
	some a in apiservers
	o := a.flags["insecure-port"]
	kc.unknown(o.value)
	v := {
		"msg": sprintf("%s takes --insecure-port from a template", [a.label]),
		"path": o.path,
	}
}

# The kubelet.
deny contains v if {
	kubelet_config
	input.authorization.mode == "AlwaysAllow"
	v := {
		"msg": sprintf("%s lets the kubelet authorize every request to its API (authorization.mode: AlwaysAllow), including exec into every container on the node", [label]),
		"path": ["authorization", "mode"],
		"label": "no authorization",
	}
}

inconclusive contains v if {
	kubelet_config
	kc.unknown(input.authorization.mode)
	v := {
		"msg": sprintf("%s takes the kubelet's authorization.mode from a template", [label]),
		"path": ["authorization", "mode"],
	}
}

deny contains v if {
	o := kubelet_flags["authorization-mode"]
	"AlwaysAllow" in modes(o.value)
	v := {
		"msg": sprintf("%s starts the kubelet with authorization-mode %s, so it authorizes every request to its API, including exec into every container on the node", [label, o.value]),
		"path": o.path,
		"label": "no authorization",
	}
}

inconclusive contains v if {
	o := kubelet_flags["authorization-mode"]
	kc.unknown(o.value)
	not "AlwaysAllow" in modes(o.value)
	v := {
		"msg": sprintf("%s takes the kubelet's authorization-mode from a template", [label]),
		"path": o.path,
	}
}
