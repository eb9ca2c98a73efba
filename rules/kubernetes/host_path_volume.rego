# METADATA
# title: Volume mounts a path of the node
# description: >-
#   A hostPath volume gives the pod a directory or file of the node it lands
#   on: data written there outlives the pod and is seen by whatever runs on
#   the node next, a writable mount lets the pod plant files the node or other
#   pods will read, and symlink and subPath races have repeatedly turned such
#   mounts into container escapes (CVE-2017-1002101, CVE-2021-25741). It also
#   ties the workload to one node's disk. Paths that give away the node
#   (/, /etc, runtime sockets, kubelet state, ...) are reported by CL-K8S-006
#   instead; this rule reports every other hostPath, including paths a
#   template fills in. ISO/IEC 27002 11.6.2 asks that sensitive systems be
#   isolated; a workload sharing the node's filesystem is not isolated from it.
#   PersistentVolumes backed by hostPath are examined too.
# custom:
#   id: CL-K8S-007
#   severity: medium
#   targets: [kubernetes]
#   controls:
#     iso27002:2005: ["11.6.2"]
#     iso27002:2022: ["8.22"]
#   remediation: >-
#     Use an emptyDir for scratch space, a ConfigMap or Secret for
#     configuration, or a PersistentVolumeClaim for data instead of `hostPath`.
#     Node agents that need a host path (log collectors, CSI drivers) should
#     mount the narrowest path, with `readOnly: true` on the volumeMount, and be
#     reviewed as node-level software.
#   applies_to: [Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob, PodTemplate, DeploymentConfig, Rollout, PersistentVolume]
#   mentions: [hostPath]
package clause.rules.kubernetes.host_path_volume

import data.clause.lib.kubernetes.is_workload
import data.clause.lib.kubernetes.label
import data.clause.lib.kubernetes.pod_spec
import data.clause.lib.kubernetes.pod_spec_path
import rego.v1

# hostPath sources: pod volumes, and PersistentVolumes.
host_paths contains {"path": object.get(volume.hostPath, "path", null), "at": array.concat(pod_spec_path, ["volumes", i, "hostPath"])} if {
	is_workload
	volumes := pod_spec.volumes
	is_array(volumes)
	some i, volume in volumes
	is_object(volume.hostPath)
}

host_paths contains {"path": object.get(input.spec.hostPath, "path", null), "at": ["spec", "hostPath"]} if {
	input.kind == "PersistentVolume"
	is_object(input.spec.hostPath)
}

# Kept in step with sensitive_host_path.rego (CL-K8S-006), which reports
# these paths: a path is reported by exactly one of the two rules.
sensitive := {
	"/etc", "/root", "/home", "/boot", "/proc", "/sys",
	"/var/lib/kubelet", "/var/lib/docker", "/var/lib/containerd", "/var/lib/etcd",
	"/var/run/docker.sock", "/run/docker.sock", "/var/run/containerd", "/run/containerd",
	"/var/run/crio", "/run/crio", "/var/run/cri-dockerd.sock", "/run/cri-dockerd.sock",
}

normalised(p) := n if {
	parts := [part | some part in split(p, "/"); part != ""; part != "."]
	n := concat("", ["/", concat("/", parts)])
}

is_sensitive(p) if p == "/"

is_sensitive(p) if {
	some s in sensitive
	p == s
}

is_sensitive(p) if {
	some s in sensitive
	startswith(p, concat("", [s, "/"]))
}

is_sensitive(p) if {
	p != "/"
	some s in sensitive
	startswith(s, concat("", [p, "/"]))
}

reported_by_sensitive_rule(p) if {
	is_string(p)
	not contains(p, "{{")
	is_sensitive(normalised(p))
}

described(p) := sprintf("%q", [p]) if is_string(p)

described(p) := "a path" if not is_string(p)

# Point at the path when it is written, else at the hostPath key.
where(h) := array.concat(h.at, ["path"]) if h.path != null

where(h) := h.at if h.path == null

deny contains {
	"msg": sprintf("%s mounts %s of the node through a hostPath volume", [label, described(h.path)]),
	"path": where(h),
} if {
	some h in host_paths
	not reported_by_sensitive_rule(h.path)
}
