# METADATA
# title: Container root filesystem is writable
# description: >-
#   Unless `readOnlyRootFilesystem: true` is set, a compromised process can
#   rewrite the container's own binaries, libraries and configuration, drop
#   tools and persist a backdoor for the life of the container, and the image
#   that was reviewed is no longer what runs. ISO/IEC 27002 12.4.1 asks that
#   the installation of software on operational systems be controlled; an
#   immutable root filesystem keeps the running software exactly the released
#   image, with writable paths limited to declared volumes. Windows pods,
#   where the setting does not exist, are not examined.
# custom:
#   id: CL-K8S-011
#   severity: low
#   targets: [kubernetes]
#   controls:
#     iso27002:2005: ["12.4.1"]
#     iso27002:2022: ["8.19"]
#   remediation: >-
#     Set `securityContext.readOnlyRootFilesystem: true` on each container
#     (the field exists only at container level) and mount an `emptyDir`
#     volume on the paths the application writes to, such as /tmp or a cache
#     directory.
#   applies_to: [Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob, PodTemplate, DeploymentConfig, Rollout]
package clause.rules.kubernetes.writable_root_filesystem

import data.clause.lib.kubernetes as k8s
import data.clause.lib.kubernetes.containers
import data.clause.lib.kubernetes.is_windows
import data.clause.lib.kubernetes.label
import rego.v1

linux_containers contains c if {
	not is_windows
	some c in containers
	is_object(c.container)
}


is_set(c) if c.container.securityContext.readOnlyRootFilesystem != null

deny contains {
	"msg": sprintf("%s: container %q sets readOnlyRootFilesystem: false", [label, k8s.container_name(c)]),
	"path": array.concat(c.path, ["securityContext", "readOnlyRootFilesystem"]),
} if {
	some c in linux_containers
	c.container.securityContext.readOnlyRootFilesystem == false
}

deny contains {
	"msg": sprintf("%s: container %q does not set readOnlyRootFilesystem: true, so its root filesystem is writable", [label, k8s.container_name(c)]),
	"path": c.path,
} if {
	some c in linux_containers
	not is_set(c)
}
