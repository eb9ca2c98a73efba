# METADATA
# title: Binding grants cluster-admin, or admin or edit in every namespace
# description: >-
#   `cluster-admin` is the superuser role: every verb on every resource,
#   Secrets and RBAC included, so whoever it is bound to can read every
#   credential in the cluster, run privileged pods on any node and grant
#   themselves anything else. Bound through a RoleBinding it is still full
#   control of that namespace, including its Secrets and its RoleBindings.
#   The `admin` and `edit` roles, bound cluster-wide by a ClusterRoleBinding,
#   read every Secret and can create pods (with any service account) in
#   every namespace, kube-system included, which is one step from cluster
#   admin. ISO/IEC 27002 11.2.2 asks that privileged access rights be
#   allocated only where needed, to the narrowest scope, and restricted;
#   these bindings hand out the cluster's highest privileges wholesale.
#   The bootstrap binding of cluster-admin to the `system:masters` group is
#   not reported.
# custom:
#   id: CL-K8S-015
#   severity: high
#   targets: [kubernetes]
#   controls:
#     iso27002:2005: ["11.2.2"]
#     iso27002:2022: ["8.2"]
#   remediation: >-
#     Write a Role (or ClusterRole) listing only the apiGroups, resources and
#     verbs the subject needs and bind that instead; delegate a namespace with
#     a RoleBinding to `admin` or `edit` in that namespace only, never a
#     ClusterRoleBinding. Keep cluster-admin for break-glass accounts outside
#     day-to-day use.
#   applies_to: [ClusterRoleBinding, RoleBinding]
package clause.rules.kubernetes.rbac_cluster_admin_binding

import data.clause.lib.kubernetes as k8s
import data.clause.lib.kubernetes.label
import rego.v1

binding if input.kind in {"ClusterRoleBinding", "RoleBinding"}

role_ref := r if {
	r := input.roleRef
	is_object(r)
}

# roleRef.kind defaults to nothing; the API requires it, but accept a
# missing kind as ClusterRole for these built-in names.
cluster_role_ref if role_ref.kind == "ClusterRole"

cluster_role_ref if not role_ref.kind

subjects := s if {
	s := input.subjects
	is_array(s)
} else := []

# The bootstrap binding: cluster-admin for the system:masters group only,
# which holds every permission whatever it is bound to.
masters_only if {
	count(subjects) > 0
	every s in subjects {
		is_object(s)
		s.kind == "Group"
		s.name == "system:masters"
	}
}

who := concat(", ", names) if {
	names := [sprintf("%v %v", [object.get(s, "kind", "?"), object.get(s, "name", "?")]) | some s in subjects; is_object(s)]
	count(names) > 0
} else := "its subjects"

scope := sprintf("namespace %v", [input.metadata.namespace]) if {
	is_string(input.metadata.namespace)
} else := "its namespace"

deny contains {
	"msg": sprintf("%s grants cluster-admin, every permission on every resource of the cluster, to %s", [label, who]),
	"path": ["roleRef", "name"],
} if {
	binding
	input.kind == "ClusterRoleBinding"
	cluster_role_ref
	role_ref.name == "cluster-admin"
	not masters_only
}

deny contains {
	"msg": sprintf("%s grants cluster-admin in %s to %s: full control of it, its Secrets and its RBAC", [label, scope, who]),
	"path": ["roleRef", "name"],
} if {
	binding
	input.kind == "RoleBinding"
	cluster_role_ref
	role_ref.name == "cluster-admin"
	not masters_only
}

deny contains {
	"msg": sprintf("%s grants the %s role in every namespace to %s (reads every Secret, creates pods in kube-system)", [label, role_ref.name, who]),
	"path": ["roleRef", "name"],
} if {
	binding
	input.kind == "ClusterRoleBinding"
	cluster_role_ref
	role_ref.name in {"admin", "edit"}
}

inconclusive contains {
	"msg": sprintf("%s binds a role whose name is filled in by a template (%s): whether it is cluster-admin is not known", [label, role_ref.name]),
	"path": ["roleRef", "name"],
} if {
	binding
	cluster_role_ref
	k8s.templated(role_ref.name)
}
