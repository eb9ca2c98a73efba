# METADATA
# title: API server or kubelet answers requests that carry no credentials
# description: >-
#   kube-apiserver accepts anonymous requests unless it is started with
#   `--anonymous-auth=false` (or, from Kubernetes 1.32, an
#   `--authentication-config` that limits anonymous access to health
#   endpoints): a request without credentials is served as user
#   `system:anonymous`, so anyone who reaches the API port can probe it, and
#   one binding to system:anonymous or system:unauthenticated, or an
#   authorizer flaw, turns that into data access with no identity attached. A
#   kubelet with `authentication.anonymous.enabled: true` does the same on port
#   10250, which runs commands in containers, and a non-zero `readOnlyPort`
#   (10255) serves the node's pod specifications, including environment
#   values, with no authentication at all. ISO/IEC 27002 10.6.2 asks that the
#   security features of network services, authentication first among them,
#   be identified and put in place, and 11.5.2 that every user be identified
#   and authenticated before access; anonymous access to the cluster's
#   management interfaces meets neither. Flags are read from containers that
#   run kube-apiserver (static Pods and any workload kind; `--flag=value` or
#   `--flag value`, in `command` or `args`), from a kubeadm
#   ClusterConfiguration's `apiServer.extraArgs` (kubeadm leaves anonymous
#   access on), from KubeletConfiguration (whose defaults are safe) and from
#   kubeadm's `kubeletExtraArgs`; when `--authentication-config` is given the
#   anonymous settings live in that file and are not judged here. Values a
#   template fills in are reported as inconclusive.
# custom:
#   id: CL-K8S-037
#   severity: medium
#   targets: [kubernetes]
#   controls:
#     iso27002:2005: ["10.6.2", "11.5.2"]
#     iso27002:2022: ["8.21", "5.16"]
#   remediation: >-
#     Start kube-apiserver with `--anonymous-auth=false` (kubeadm:
#     `apiServer.extraArgs: {anonymous-auth: "false"}`), or on 1.32 and later
#     give it an `--authentication-config` with `anonymous: {enabled: true,
#     conditions: [{path: /livez}, {path: /readyz}, {path: /healthz}]}` so
#     that only health checks go unauthenticated. In the KubeletConfiguration
#     set `authentication: {anonymous: {enabled: false}, webhook: {enabled:
#     true}}` and `readOnlyPort: 0`, and drop `anonymous-auth` and
#     `read-only-port` kubelet flags.
#   applies_to: [Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob, PodTemplate, DeploymentConfig, Rollout, ClusterConfiguration, KubeletConfiguration, InitConfiguration, JoinConfiguration]
#   mentions: [apiserver, kubelet, ClusterConfiguration]
package clause.rules.kubernetes.api_anonymous_access

import data.clause.lib.kubernetes_components as kc
import data.clause.lib.kubernetes_components.apiservers
import data.clause.lib.kubernetes_components.kubelet_config
import data.clause.lib.kubernetes_components.kubelet_flags
import data.clause.lib.kubernetes_components.label
import data.clause.lib.kubernetes_components.templated_apiservers
import rego.v1

# --anonymous-auth=true, as written.
deny contains v if {
	some a in apiservers
	o := a.flags["anonymous-auth"]
	kc.bool_text(o.value) == "true"
	v := {
		"msg": sprintf("%s accepts anonymous requests (--anonymous-auth=%s): callers without credentials are served as system:anonymous", [a.label, o.value]),
		"path": o.path,
		"label": "anonymous access",
	}
}

inconclusive contains v if {
	some a in apiservers
	o := a.flags["anonymous-auth"]
	kc.unknown(o.value)
	v := {
		"msg": sprintf("%s takes --anonymous-auth from a template", [a.label]),
		"path": o.path,
	}
}

# Not set: kube-apiserver's default is true.
unset(a) if {
	not a.flags["anonymous-auth"]
	not a.flags["authentication-config"]
}

deny contains v if {
	some a in apiservers
	unset(a)
	not a.opaque
	v := {
		"msg": sprintf("%s does not set --anonymous-auth=false, so it accepts anonymous requests (the default is true)", [a.label]),
		"path": a.path,
		"label": "anonymous access",
	}
}

inconclusive contains v if {
	some a in apiservers
	unset(a)
	a.opaque
	v := {
		"msg": sprintf("%s does not set --anonymous-auth among the flags written, and more come from a template or a configuration file", [a.label]),
		"path": a.path,
	}
}

inconclusive contains v if {
	some t in templated_apiservers
	v := {
		"msg": sprintf("%s takes its kube-apiserver command line from a template, so whether it accepts anonymous requests is not known", [t.label]),
		"path": t.path,
	}
}

# The kubelet's configuration file.
deny contains v if {
	kubelet_config
	input.authentication.anonymous.enabled == true
	v := {
		"msg": sprintf("%s lets the kubelet accept anonymous requests on its API (authentication.anonymous.enabled: true)", [label]),
		"path": ["authentication", "anonymous", "enabled"],
		"label": "anonymous access",
	}
}

inconclusive contains v if {
	kubelet_config
	kc.unknown(input.authentication.anonymous.enabled)
	v := {
		"msg": sprintf("%s takes the kubelet's authentication.anonymous.enabled from a template", [label]),
		"path": ["authentication", "anonymous", "enabled"],
	}
}

port(v) := to_number(trim_space(sprintf("%v", [v]))) if regex.match(`^\s*[0-9]+\s*$`, sprintf("%v", [v]))

deny contains v if {
	kubelet_config
	port(input.readOnlyPort) != 0
	v := {
		"msg": sprintf("%s opens the kubelet's read-only port %v, which serves pod specifications with no authentication", [label, input.readOnlyPort]),
		"path": ["readOnlyPort"],
		"label": "unauthenticated port",
	}
}

inconclusive contains v if {
	kubelet_config
	kc.unknown(input.readOnlyPort)
	v := {
		"msg": sprintf("%s takes the kubelet's readOnlyPort from a template", [label]),
		"path": ["readOnlyPort"],
	}
}

# kubelet flags kubeadm passes on (they override the configuration file).
deny contains v if {
	o := kubelet_flags["anonymous-auth"]
	kc.bool_text(o.value) == "true"
	v := {
		"msg": sprintf("%s starts the kubelet with anonymous-auth %s, so its API accepts anonymous requests", [label, o.value]),
		"path": o.path,
		"label": "anonymous access",
	}
}

deny contains v if {
	o := kubelet_flags["read-only-port"]
	port(o.value) != 0
	v := {
		"msg": sprintf("%s starts the kubelet with read-only-port %s, which serves pod specifications with no authentication", [label, o.value]),
		"path": o.path,
		"label": "unauthenticated port",
	}
}

inconclusive contains v if {
	some name in ["anonymous-auth", "read-only-port"]
	o := kubelet_flags[name]
	kc.unknown(o.value)
	v := {
		"msg": sprintf("%s takes the kubelet's %s from a template", [label, name]),
		"path": o.path,
	}
}
