# METADATA
# title: Container runs without a seccomp profile
# description: >-
#   seccomp filters the system calls a container may make. Without a profile
#   (`seccompProfile.type` RuntimeDefault or Localhost on the container, else
#   the pod), or with `Unconfined`, the container can call into the whole
#   kernel interface, including the rarely used calls (unshare, keyctl, bpf,
#   userfaultfd, io_uring...) behind most kernel privilege-escalation and
#   container-escape vulnerabilities. The kubelet runs containers Unconfined
#   unless it is started with --seccomp-default, which a manifest cannot show.
#   ISO/IEC 27002 12.6.1 asks that exposure to technical vulnerabilities be
#   evaluated and reduced, including by measures other than patching; the
#   runtime's default profile removes most of the kernel's attack surface at no
#   cost to ordinary applications. The alpha annotations
#   (seccomp.security.alpha.kubernetes.io/pod) have had no effect since
#   Kubernetes 1.27 and do not count. Windows pods are not examined.
# custom:
#   id: CL-K8S-014
#   severity: low
#   targets: [kubernetes]
#   controls:
#     iso27002:2005: ["12.6.1"]
#     iso27002:2022: ["8.8"]
#   remediation: >-
#     Set `securityContext.seccompProfile: {type: RuntimeDefault}` on the pod
#     (inherited by every container), or `type: Localhost` with a reviewed
#     `localhostProfile`; remove `type: Unconfined`.
#   applies_to: [Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob, PodTemplate, DeploymentConfig, Rollout]
package clause.rules.kubernetes.seccomp_unconfined

import data.clause.lib.kubernetes as k8s
import data.clause.lib.kubernetes.containers
import data.clause.lib.kubernetes.is_windows
import data.clause.lib.kubernetes.label
import data.clause.lib.kubernetes.pod_spec_path
import rego.v1

linux_containers contains c if {
	not is_windows
	some c in containers
	is_object(c.container)
}


containers_named(names) := sprintf("container %s", names) if count(names) == 1

containers_named(names) := sprintf("containers %s", [concat(", ", names)]) if count(names) > 1

pod_type_path := array.concat(pod_spec_path, ["securityContext", "seccompProfile", "type"])

# The effective profile's type and where it is written.
profile(c) := {"type": s.value.type, "path": array.concat(s.path, ["type"])} if {
	s := k8s.security_setting(c, "seccompProfile")
	s.value.type != null
}

unconfined(c) := p if {
	p := profile(c)
	p.type == "Unconfined"
}

# Explicitly Unconfined on the container.
deny contains {
	"msg": sprintf("%s: container %q sets seccompProfile type Unconfined", [label, k8s.container_name(c)]),
	"path": p.path,
} if {
	some c in linux_containers
	p := unconfined(c)
	p.path != pod_type_path
}

# Unconfined on the pod, inherited: one finding naming the containers.
deny contains {
	"msg": sprintf("%s: the pod's seccompProfile type Unconfined applies to %s", [label, containers_named(names)]),
	"path": pod_type_path,
} if {
	names := sort([sprintf("%q", [k8s.container_name(c)]) |
		some c in linux_containers
		unconfined(c).path == pod_type_path
	])
	count(names) > 0
}

# Written at all (a template value counts: its type is unknown).
has_profile(c) if k8s.security_setting(c, "seccompProfile")

deny contains {
	"msg": sprintf("%s: container %q has no seccomp profile (its own or the pod's), so it runs Unconfined unless the kubelet enables --seccomp-default", [label, k8s.container_name(c)]),
	"path": c.path,
} if {
	some c in linux_containers
	not has_profile(c)
}
