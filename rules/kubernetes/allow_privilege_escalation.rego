# METADATA
# title: Container allows privilege escalation
# description: >-
#   Unless a container sets `allowPrivilegeEscalation: false`, the kernel's
#   no_new_privs flag is not set on its processes, so a setuid or file
#   capability binary in the image (su, sudo, ping, a planted one) can raise
#   the process above the user and capabilities the container was given.
#   Kubernetes defaults the field to true, and a privileged container or one
#   granted CAP_SYS_ADMIN always escalates, whatever else it says. ISO/IEC
#   27002 11.2.2 asks that privileges be allocated only as needed and
#   restricted; leaving escalation open lets application code acquire
#   privileges nobody allocated to it.
# custom:
#   id: CL-K8S-002
#   severity: medium
#   targets: [kubernetes]
#   controls:
#     iso27002:2005: ["11.2.2"]
#     iso27002:2022: ["8.2"]
#   remediation: >-
#     Set `securityContext.allowPrivilegeEscalation: false` on every container,
#     init container and ephemeral container (the field exists only at
#     container level), and drop `privileged: true` and the SYS_ADMIN
#     capability, which the API server will not combine with it.
#   applies_to: [Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob, PodTemplate, DeploymentConfig, Rollout]
package clause.rules.kubernetes.allow_privilege_escalation

import data.clause.lib.kubernetes as k8s
import data.clause.lib.kubernetes.containers
import data.clause.lib.kubernetes.is_windows
import data.clause.lib.kubernetes.label
import rego.v1

# Windows containers have no such flag (the API rejects it with
# spec.os.name: windows), so Windows pods are out of scope.
linux_containers contains c if {
	not is_windows
	some c in containers
	is_object(c.container)
}


# Set to anything, even false (a rule returning false would read as unset).
is_set(c) if c.container.securityContext.allowPrivilegeEscalation != null

deny contains {
	"msg": sprintf("%s: container %q sets allowPrivilegeEscalation: true", [label, k8s.container_name(c)]),
	"path": array.concat(c.path, ["securityContext", "allowPrivilegeEscalation"]),
} if {
	some c in linux_containers
	c.container.securityContext.allowPrivilegeEscalation == true
}

deny contains {
	"msg": sprintf("%s: container %q does not set allowPrivilegeEscalation: false, so it defaults to true", [label, k8s.container_name(c)]),
	"path": c.path,
} if {
	some c in linux_containers
	not is_set(c)
}
