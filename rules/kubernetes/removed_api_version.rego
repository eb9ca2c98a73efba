# METADATA
# title: Manifest uses an API version Kubernetes no longer serves
# description: >-
#   Beta API versions are removed a few releases after their replacement
#   ships. A manifest still written against one (extensions/v1beta1 and
#   apps/v1beta1/v1beta2 workloads, removed in 1.16; v1beta1 Ingress, RBAC,
#   webhooks, CRDs, PriorityClass and storage classes, removed in 1.22;
#   batch/v1beta1 CronJob, policy/v1beta1 PodDisruptionBudget and
#   PodSecurityPolicy, autoscaling/v2beta1, removed in 1.25; autoscaling/v2beta2
#   and flowcontrol v1beta1 in 1.26, CSIStorageCapacity v1beta1 in 1.27,
#   flowcontrol v1beta2 in 1.29 and v1beta3 in 1.32) is rejected by every
#   Kubernetes release the project still supports. If it is being applied, the
#   cluster runs a release that no longer receives security fixes; if not,
#   upgrades stall behind it, and a PodSecurityPolicy enforces nothing at all
#   on 1.25 and later. ISO/IEC 27002 12.6.1 asks that exposure to technical
#   vulnerabilities be evaluated and addressed, which includes staying on
#   supported, patched versions; manifests pinned to removed APIs keep
#   clusters on unpatched releases or silently lose their controls.
# custom:
#   id: CL-K8S-033
#   severity: medium
#   targets: [kubernetes]
#   controls:
#     iso27002:2005: ["12.6.1"]
#     iso27002:2022: ["8.8"]
#   remediation: >-
#     Change `apiVersion` to the stable version named in the finding (e.g.
#     apps/v1, networking.k8s.io/v1, batch/v1, policy/v1, autoscaling/v2) and
#     adapt the fields that changed (`kubectl convert` helps); replace
#     PodSecurityPolicy with Pod Security Admission namespace labels
#     (`pod-security.kubernetes.io/enforce: restricted`) or a policy engine.
#   applies_to: [Deployment, DaemonSet, ReplicaSet, StatefulSet, ControllerRevision, NetworkPolicy, PodSecurityPolicy, Ingress, IngressClass, ClusterRole, ClusterRoleBinding, Role, RoleBinding, MutatingWebhookConfiguration, ValidatingWebhookConfiguration, CustomResourceDefinition, APIService, CertificateSigningRequest, Lease, PriorityClass, CSIDriver, CSINode, StorageClass, VolumeAttachment, CSIStorageCapacity, CronJob, EndpointSlice, Event, HorizontalPodAutoscaler, PodDisruptionBudget, RuntimeClass, FlowSchema, PriorityLevelConfiguration]
#   mentions: [beta, "{{", "${"]
package clause.rules.kubernetes.removed_api_version

import data.clause.lib.kubernetes as k8s
import data.clause.lib.kubernetes.label
import rego.v1

# apiVersion -> kind -> [release that stopped serving it, what to use].
psp := ["1.25", "Pod Security Admission or a policy engine (PodSecurityPolicy has no successor API, and enforces nothing on 1.25 and later)"]

removed := {
	"extensions/v1beta1": {
		"Deployment": ["1.16", "apps/v1"],
		"DaemonSet": ["1.16", "apps/v1"],
		"ReplicaSet": ["1.16", "apps/v1"],
		"NetworkPolicy": ["1.16", "networking.k8s.io/v1"],
		"PodSecurityPolicy": psp,
		"Ingress": ["1.22", "networking.k8s.io/v1"],
	},
	"apps/v1beta1": {
		"Deployment": ["1.16", "apps/v1"],
		"StatefulSet": ["1.16", "apps/v1"],
		"ControllerRevision": ["1.16", "apps/v1"],
	},
	"apps/v1beta2": {
		"Deployment": ["1.16", "apps/v1"],
		"StatefulSet": ["1.16", "apps/v1"],
		"DaemonSet": ["1.16", "apps/v1"],
		"ReplicaSet": ["1.16", "apps/v1"],
		"ControllerRevision": ["1.16", "apps/v1"],
	},
	"networking.k8s.io/v1beta1": {
		"Ingress": ["1.22", "networking.k8s.io/v1"],
		"IngressClass": ["1.22", "networking.k8s.io/v1"],
	},
	"rbac.authorization.k8s.io/v1beta1": {
		"ClusterRole": ["1.22", "rbac.authorization.k8s.io/v1"],
		"ClusterRoleBinding": ["1.22", "rbac.authorization.k8s.io/v1"],
		"Role": ["1.22", "rbac.authorization.k8s.io/v1"],
		"RoleBinding": ["1.22", "rbac.authorization.k8s.io/v1"],
	},
	"admissionregistration.k8s.io/v1beta1": {
		"MutatingWebhookConfiguration": ["1.22", "admissionregistration.k8s.io/v1"],
		"ValidatingWebhookConfiguration": ["1.22", "admissionregistration.k8s.io/v1"],
	},
	"apiextensions.k8s.io/v1beta1": {"CustomResourceDefinition": ["1.22", "apiextensions.k8s.io/v1"]},
	"apiregistration.k8s.io/v1beta1": {"APIService": ["1.22", "apiregistration.k8s.io/v1"]},
	"certificates.k8s.io/v1beta1": {"CertificateSigningRequest": ["1.22", "certificates.k8s.io/v1"]},
	"coordination.k8s.io/v1beta1": {"Lease": ["1.22", "coordination.k8s.io/v1"]},
	"scheduling.k8s.io/v1beta1": {"PriorityClass": ["1.22", "scheduling.k8s.io/v1"]},
	"storage.k8s.io/v1beta1": {
		"CSIDriver": ["1.22", "storage.k8s.io/v1"],
		"CSINode": ["1.22", "storage.k8s.io/v1"],
		"StorageClass": ["1.22", "storage.k8s.io/v1"],
		"VolumeAttachment": ["1.22", "storage.k8s.io/v1"],
		"CSIStorageCapacity": ["1.27", "storage.k8s.io/v1"],
	},
	"batch/v1beta1": {"CronJob": ["1.25", "batch/v1"]},
	"discovery.k8s.io/v1beta1": {"EndpointSlice": ["1.25", "discovery.k8s.io/v1"]},
	"events.k8s.io/v1beta1": {"Event": ["1.25", "events.k8s.io/v1"]},
	"autoscaling/v2beta1": {"HorizontalPodAutoscaler": ["1.25", "autoscaling/v2"]},
	"autoscaling/v2beta2": {"HorizontalPodAutoscaler": ["1.26", "autoscaling/v2"]},
	"policy/v1beta1": {
		"PodDisruptionBudget": ["1.25", "policy/v1"],
		"PodSecurityPolicy": psp,
	},
	"node.k8s.io/v1beta1": {"RuntimeClass": ["1.25", "node.k8s.io/v1"]},
	"flowcontrol.apiserver.k8s.io/v1beta1": {
		"FlowSchema": ["1.26", "flowcontrol.apiserver.k8s.io/v1"],
		"PriorityLevelConfiguration": ["1.26", "flowcontrol.apiserver.k8s.io/v1"],
	},
	"flowcontrol.apiserver.k8s.io/v1beta2": {
		"FlowSchema": ["1.29", "flowcontrol.apiserver.k8s.io/v1"],
		"PriorityLevelConfiguration": ["1.29", "flowcontrol.apiserver.k8s.io/v1"],
	},
	"flowcontrol.apiserver.k8s.io/v1beta3": {
		"FlowSchema": ["1.32", "flowcontrol.apiserver.k8s.io/v1"],
		"PriorityLevelConfiguration": ["1.32", "flowcontrol.apiserver.k8s.io/v1"],
	},
}

kinds_with_removals := {kind | some _, kinds in removed; some kind, _ in kinds}

deny contains {
	"msg": sprintf("%s uses %s, which Kubernetes stopped serving in %s; use %s", [label, input.apiVersion, entry[0], entry[1]]),
	"path": ["apiVersion"],
	"label": sprintf("removed in %s", [entry[0]]),
} if {
	entry := removed[input.apiVersion][input.kind]
}

inconclusive contains {
	"msg": sprintf("%s takes its apiVersion from a template (%s), so whether it is a removed version is not known", [label, input.apiVersion]),
	"path": ["apiVersion"],
} if {
	input.kind in kinds_with_removals
	k8s.templated(input.apiVersion)
}
