# METADATA
# title: Pod runs as the default service account with its token mounted
# description: >-
#   Every namespace has a `default` service account, and a pod that names no
#   `serviceAccountName` runs as it, with its API token mounted unless
#   `automountServiceAccountToken: false` is set. That identity is shared by
#   every such pod of the namespace: permissions granted to it for one
#   workload reach all of them, the audit log cannot tell them apart, and a
#   compromised pod gets a working API credential it usually never needed.
#   ISO/IEC 27002 11.5.2 asks that each user, here each workload, have a
#   unique identifier so that activities can be traced to it, and that only
#   needed credentials be issued. A pod that turns the token off is not
#   reported, nor is one with its own service account (which is why it has
#   one). A `default` ServiceAccount manifest that does not set
#   `automountServiceAccountToken: false` is reported too; a setting on the
#   namespace's default ServiceAccount made outside the scanned manifests
#   cannot be seen, so set it on the pod as well.
# custom:
#   id: CL-K8S-022
#   severity: low
#   targets: [kubernetes]
#   controls:
#     iso27002:2005: ["11.5.2"]
#     iso27002:2022: ["5.16"]
#   remediation: >-
#     Give each workload its own ServiceAccount (`serviceAccountName: shop`)
#     with only the Roles it needs; for pods that never call the Kubernetes
#     API, set `automountServiceAccountToken: false` in the pod spec. Set
#     `automountServiceAccountToken: false` on each namespace's `default`
#     ServiceAccount.
#   applies_to: [Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob, PodTemplate, DeploymentConfig, Rollout, ServiceAccount]
package clause.rules.kubernetes.default_service_account_token

import data.clause.lib.kubernetes as k8s
import data.clause.lib.kubernetes.is_workload
import data.clause.lib.kubernetes.label
import data.clause.lib.kubernetes.pod_spec
import data.clause.lib.kubernetes.pod_spec_path
import rego.v1

pod_spec_written if {
	is_workload
	is_object(object.get(input, pod_spec_path, null))
}

# serviceAccountName, else the deprecated serviceAccount alias.
service_account := {"value": v, "path": array.concat(pod_spec_path, ["serviceAccountName"])} if {
	v := pod_spec.serviceAccountName
	v != null
	v != ""
} else := {"value": v, "path": array.concat(pod_spec_path, ["serviceAccount"])} if {
	v := pod_spec.serviceAccount
	v != null
	v != ""
}

uses_default if {
	pod_spec_written
	not service_account
}

uses_default if {
	pod_spec_written
	service_account.value == "default"
}

account_unknown if {
	pod_spec_written
	k8s.templated(service_account.value)
}

automount_path := array.concat(pod_spec_path, ["automountServiceAccountToken"])

automount_unknown if k8s.templated(pod_spec.automountServiceAccountToken)

automount_unset if {
	pod_spec_written
	not "automountServiceAccountToken" in object.keys(pod_spec)
}

automount_unset if pod_spec.automountServiceAccountToken == null

deny contains {
	"msg": sprintf("%s runs as the namespace's default service account and mounts its token (automountServiceAccountToken: true)", [label]),
	"path": automount_path,
	"label": "shared identity, token mounted",
} if {
	uses_default
	pod_spec.automountServiceAccountToken == true
}

deny contains {
	"msg": sprintf("%s runs as the namespace's default service account and mounts its token, as automountServiceAccountToken is not false", [label]),
	"path": where,
	"label": "shared identity, token mounted",
} if {
	uses_default
	automount_unset
	where := default_path
}

default_path := service_account.path if service_account.value == "default"

default_path := pod_spec_path if not service_account

inconclusive contains {
	"msg": sprintf("%s runs as the default service account, but automountServiceAccountToken is filled in by a template", [label]),
	"path": automount_path,
} if {
	uses_default
	automount_unknown
}

inconclusive contains {
	"msg": sprintf("%s takes its service account from a template (%s), so whether it runs as the shared default account is not known", [label, service_account.value]),
	"path": service_account.path,
} if {
	account_unknown
	not pod_spec.automountServiceAccountToken == false
}

# The namespace's default ServiceAccount itself.
default_account if {
	input.kind == "ServiceAccount"
	input.metadata.name == "default"
}

deny contains {
	"msg": sprintf("%s sets automountServiceAccountToken: true, so every pod without its own service account gets its token", [label]),
	"path": ["automountServiceAccountToken"],
	"label": "token for every pod",
} if {
	default_account
	input.automountServiceAccountToken == true
}

deny contains {
	"msg": sprintf("%s does not set automountServiceAccountToken: false, so every pod without its own service account gets its token", [label]),
	"path": [],
} if {
	default_account
	object.get(input, "automountServiceAccountToken", null) == null
}

inconclusive contains {
	"msg": sprintf("%s takes automountServiceAccountToken from a template", [label]),
	"path": ["automountServiceAccountToken"],
} if {
	default_account
	k8s.templated(input.automountServiceAccountToken)
}
