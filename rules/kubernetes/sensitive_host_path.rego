# METADATA
# title: Volume mounts a sensitive path of the node
# description: >-
#   A hostPath volume on the node's root, its configuration and credentials
#   (/etc, /root, /home, /var/lib/kubelet), the container runtime's state or
#   socket (/var/run/docker.sock, /run/containerd, /var/lib/docker), /proc or
#   /sys, or on a directory containing one of them (/var, /run), hands the pod
#   the node: a runtime socket starts privileged containers, kubelet and /etc
#   files hold credentials and let it plant cron jobs or SSH keys, and a
#   read-only mount still discloses them (and still connects to a socket).
#   ISO/IEC 27002 11.6.2 asks that sensitive systems be isolated, which a
#   workload reaching into the node's own files is not; 11.2.2 asks that
#   privileges be allocated only as needed, and these paths confer the node's
#   administrative privilege. PersistentVolumes backed by hostPath are
#   examined too.
# custom:
#   id: CL-K8S-006
#   severity: high
#   targets: [kubernetes]
#   controls:
#     iso27002:2005: ["11.6.2", "11.2.2"]
#     iso27002:2022: ["8.22", "8.2"]
#   remediation: >-
#     Replace the hostPath volume: use a ConfigMap, Secret, projected
#     serviceAccountToken, emptyDir or a PersistentVolumeClaim for data, and the
#     Kubernetes API rather than the runtime socket. Node agents that truly need
#     a host path should mount the narrowest file with `readOnly: true` and run
#     in a dedicated, restricted namespace.
#   applies_to: [Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob, PodTemplate, DeploymentConfig, Rollout, PersistentVolume]
#   mentions: [hostPath]
package clause.rules.kubernetes.sensitive_host_path

import data.clause.lib.kubernetes.is_workload
import data.clause.lib.kubernetes.label
import data.clause.lib.kubernetes.pod_spec
import data.clause.lib.kubernetes.pod_spec_path
import rego.v1

# Paths whose exposure gives away the node. A mount of any of them, of
# anything under them, or of a directory holding one of them is sensitive.
sensitive := {
	"/etc", "/root", "/home", "/boot", "/proc", "/sys",
	"/var/lib/kubelet", "/var/lib/docker", "/var/lib/containerd", "/var/lib/etcd",
	"/var/run/docker.sock", "/run/docker.sock", "/var/run/containerd", "/run/containerd",
	"/var/run/crio", "/run/crio", "/var/run/cri-dockerd.sock", "/run/cri-dockerd.sock",
}

# hostPath sources: pod volumes, and PersistentVolumes.
host_paths contains {"path": p, "at": array.concat(pod_spec_path, ["volumes", i, "hostPath"])} if {
	is_workload
	volumes := pod_spec.volumes
	is_array(volumes)
	some i, volume in volumes
	p := volume.hostPath.path
}

host_paths contains {"path": p, "at": ["spec", "hostPath"]} if {
	input.kind == "PersistentVolume"
	p := input.spec.hostPath.path
}

# `/var//run/` reads as /var/run; `/` stays `/`.
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

# An ancestor of a sensitive path (/var, /run, /var/lib) exposes it.
is_sensitive(p) if {
	p != "/"
	some s in sensitive
	startswith(s, concat("", [p, "/"]))
}

deny contains {
	"msg": sprintf("%s mounts the node's %s through a hostPath volume", [label, h.path]),
	"path": array.concat(h.at, ["path"]),
} if {
	some h in host_paths
	is_string(h.path)
	not contains(h.path, "{{")
	is_sensitive(normalised(h.path))
}
