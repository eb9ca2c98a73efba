# METADATA
# title: Binding grants a role to anonymous or to every authenticated identity
# description: >-
#   The groups `system:unauthenticated` (and the user `system:anonymous`)
#   stand for every request that presents no credentials, `system:authenticated`
#   for every user and every service account of every namespace (on some
#   managed clusters any account of the cloud provider can authenticate), and
#   `system:serviceaccounts` for every service account of every namespace. A
#   RoleBinding or ClusterRoleBinding to them gives the role to anyone who can
#   reach the API server, or to any pod of any tenant. ISO/IEC 27002 11.6.1
#   asks that access to information be restricted in line with the access
#   control policy, and 11.5.2 that every user have a unique identity and be
#   authenticated; these subjects grant access without identifying, or even
#   authenticating, who gets it. The bootstrap discovery bindings
#   (system:public-info-viewer, system:discovery, system:basic-user,
#   system:service-account-issuer-discovery) are not reported.
# custom:
#   id: CL-K8S-020
#   severity: high
#   targets: [kubernetes]
#   controls:
#     iso27002:2005: ["11.6.1", "11.5.2"]
#     iso27002:2022: ["8.3", "5.16"]
#   remediation: >-
#     Bind the role to the specific users, groups or service accounts (with
#     their namespace) that need it, e.g. `subjects: [{kind: ServiceAccount,
#     name: reporter, namespace: monitoring}]`; never to system:anonymous,
#     system:unauthenticated, system:authenticated or system:serviceaccounts.
#   applies_to: [ClusterRoleBinding, RoleBinding]
package clause.rules.kubernetes.rbac_anonymous_binding

import data.clause.lib.kubernetes as k8s
import data.clause.lib.kubernetes.label
import rego.v1

bootstrap_roles := {
	"system:public-info-viewer", "system:discovery", "system:basic-user",
	"system:service-account-issuer-discovery",
}

role_name := n if {
	n := input.roleRef.name
	is_string(n)
} else := "its role"

subjects contains {"s": s, "j": j} if {
	input.kind in {"ClusterRoleBinding", "RoleBinding"}
	not role_name in bootstrap_roles
	list := input.subjects
	is_array(list)
	some j, s in list
	is_object(s)
}

audience := {
	"Group": {
		"system:unauthenticated": "anyone who can reach the API server, without authentication",
		"system:authenticated": "every authenticated user and every service account of every namespace",
		"system:serviceaccounts": "every service account of every namespace",
	},
	"User": {"system:anonymous": "anyone who can reach the API server, without authentication"},
}

deny contains {
	"msg": sprintf("%s grants %s to %s (%s %s)", [label, role_name, who, e.s.kind, e.s.name]),
	"path": ["subjects", e.j, "name"],
	"label": "everyone",
} if {
	some e in subjects
	who := audience[e.s.kind][e.s.name]
}

inconclusive contains {
	"msg": sprintf("%s grants %s to a group whose name is filled in by a template (%s)", [label, role_name, e.s.name]),
	"path": ["subjects", e.j, "name"],
} if {
	some e in subjects
	e.s.kind == "Group"
	k8s.templated(e.s.name)
}
