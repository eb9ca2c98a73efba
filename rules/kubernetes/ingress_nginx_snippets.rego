# METADATA
# title: NGINX ingress controller lets Ingress authors inject raw configuration
# description: >-
#   Snippet annotations (`nginx.ingress.kubernetes.io/configuration-snippet`,
#   `server-snippet`, `auth-snippet`, `stream-snippet`, `modsecurity-snippet`
#   for ingress-nginx; `nginx.org/server-snippets` and `location-snippets` for
#   F5 NGINX) copy text from an Ingress into the configuration of the shared
#   controller, unvalidated. The controller is one network service for every
#   namespace and holds a service account that reads the TLS keys and Secrets
#   of all of them, so anyone allowed to create an Ingress in any namespace
#   can, through a snippet, serve other tenants' certificates and keys, read
#   the controller's token and with it every Secret in the cluster, or switch
#   off the authentication, headers and restrictions other Ingresses rely on
#   (CVE-2021-25742; the 2025 IngressNightmare flaws, CVE-2025-1974 among
#   them, abused the same path from Ingress text into NGINX configuration
#   through other annotations). Controllers ship with snippets off
#   (ingress-nginx since 1.9, F5 NGINX always); they work only where an
#   administrator turned them on with `allow-snippet-annotations: "true"` in
#   the ingress-nginx ConfigMap or the `-enable-snippets` controller flag,
#   and an Ingress that uses them depends on that. ISO/IEC 27002 10.6.2 asks that the security
#   features of network services be identified, put in place and kept under
#   management; letting every Ingress author rewrite the shared proxy's
#   configuration leaves its security in the hands of whoever can create an
#   Ingress. Annotation values a template fills in are reported as
#   inconclusive.
# custom:
#   id: CL-K8S-035
#   severity: medium
#   targets: [kubernetes]
#   controls:
#     iso27002:2005: ["10.6.2"]
#     iso27002:2022: ["8.21"]
#   remediation: >-
#     Replace each snippet with the dedicated annotation for what it does
#     (`nginx.ingress.kubernetes.io/permanent-redirect`, `limit-rps`,
#     `whitelist-source-range`, `enable-cors`...) or have the administrator
#     put it in the controller's global ConfigMap; then set
#     `allow-snippet-annotations: "false"` in the ingress-nginx ConfigMap
#     (Helm: `controller.allowSnippetAnnotations: false`) and keep
#     `annotations-risk-level` below Critical; for F5 NGINX remove
#     `-enable-snippets` from the controller's arguments.
#   applies_to: [Ingress, ConfigMap, Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob, PodTemplate, DeploymentConfig, Rollout]
#   mentions: [snippet]
package clause.rules.kubernetes.ingress_nginx_snippets

import data.clause.lib.kubernetes as k8s
import data.clause.lib.kubernetes.containers
import data.clause.lib.kubernetes.label
import rego.v1

annotations := a if {
	a := input.metadata.annotations
	is_object(a)
} else := {}

snippet_annotation(key) if regex.match(`^nginx\.ingress\.kubernetes\.io/[a-z-]*snippet$`, key)

snippet_annotation(key) if key in {"nginx.org/server-snippets", "nginx.org/location-snippets"}

# A snippet with content (an empty one adds nothing).
written(v) if {
	is_string(v)
	trim_space(v) != ""
}

written(v) if {
	v != null
	not is_string(v)
}

deny contains v if {
	input.kind == "Ingress"
	some key, value in annotations
	is_string(key)
	snippet_annotation(key)
	written(value)
	not k8s.templated(value)
	v := {
		"msg": sprintf("%s injects raw NGINX configuration through %s, which works only where the controller lets every Ingress author rewrite its configuration", [label, key]),
		"path": ["metadata", "annotations", key],
		"label": "configuration snippet",
	}
}

inconclusive contains v if {
	input.kind == "Ingress"
	some key, value in annotations
	is_string(key)
	snippet_annotation(key)
	k8s.templated(value)
	v := {
		"msg": sprintf("%s takes %s from a template, so whether it injects NGINX configuration is not known", [label, key]),
		"path": ["metadata", "annotations", key],
	}
}

# The ingress-nginx controller's ConfigMap (the key is specific to it).
switch := "allow-snippet-annotations"

config_map_data := d if {
	input.kind == "ConfigMap"
	d := input.data
	is_object(d)
}

deny contains v if {
	value := config_map_data[switch]
	not k8s.templated(value)
	lower(trim(sprintf("%v", [value]), `"' `)) == "true"
	v := {
		"msg": sprintf("%s turns on snippet annotations (%s: %v), so anyone who can create an Ingress can inject configuration into the ingress-nginx controller", [label, switch, value]),
		"path": ["data", switch],
		"label": "snippets allowed",
	}
}

inconclusive contains v if {
	value := config_map_data[switch]
	k8s.templated(value)
	v := {
		"msg": sprintf("%s takes %s from a template", [label, switch]),
		"path": ["data", switch],
	}
}

# F5 NGINX Ingress Controller: -enable-snippets / --enable-snippets[=true].
enables_snippets(arg) if {
	is_string(arg)
	regex.match(`^--?enable-snippets(=(true|True|TRUE|t|T|1))?$`, trim_space(arg))
}

deny contains v if {
	some c in containers
	some field in ["command", "args"]
	list := c.container[field]
	is_array(list)
	some i, arg in list
	enables_snippets(arg)
	v := {
		"msg": sprintf("%s: container %q starts the NGINX ingress controller with %s, so anyone who can create an Ingress can inject configuration into it", [label, k8s.container_name(c), arg]),
		"path": array.concat(c.path, [field, i]),
		"label": "snippets allowed",
	}
}

inconclusive contains v if {
	some c in containers
	some field in ["command", "args"]
	list := c.container[field]
	is_array(list)
	some i, arg in list
	is_string(arg)
	regex.match(`^--?enable-snippets=`, trim_space(arg))
	k8s.templated(arg)
	v := {
		"msg": sprintf("%s: container %q takes -enable-snippets from a template", [label, k8s.container_name(c)]),
		"path": array.concat(c.path, [field, i]),
	}
}
