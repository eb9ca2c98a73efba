# Helpers for rules about the cluster's own components (kube-apiserver and
# kubelet): `import data.clause.lib.kubernetes_components as kc`.
#
# kube-apiserver flags are read from every shape they are written in:
# - a container that runs kube-apiserver (kubeadm's static Pod in
#   /etc/kubernetes/manifests, a Deployment of a hosted control plane, any
#   workload kind): flags in `command` and/or `args`, as `--flag=value` or
#   `--flag value`, after a wrapper such as go-runner or hyperkube, or inside
#   a `sh -c` script;
# - a kubeadm ClusterConfiguration's `apiServer.extraArgs` (a map up to
#   kubeadm.k8s.io/v1beta3, a list of {name, value} from v1beta4).
# Kubelet flags come from kubeadm's `nodeRegistration.kubeletExtraArgs`
# (InitConfiguration, JoinConfiguration); a KubeletConfiguration is read by
# the rules directly.
#
# Values a template fills in (Helm `{{ }}`, `${VAR}`, Kubernetes' own
# `$(VAR)` expansion of command arguments) are unknown: `unknown(v)`.
package clause.lib.kubernetes_components

import data.clause.lib.kubernetes as k8s
import data.clause.lib.kubernetes.containers
import rego.v1

unknown(v) if k8s.templated(v)

unknown(v) if {
	is_string(v)
	contains(v, "$(")
}

# label: the document for messages (`Kind/name`, as the finding's resource).
label := data.clause.lib.kubernetes.label

# bool_text(v): "true", "false" or undefined, the way Go's flag parser and
# kubeadm read a boolean.
bool_text(v) := "true" if lower(sprintf("%v", [v])) in {"true", "t", "1"}

bool_text(v) := "false" if lower(sprintf("%v", [v])) in {"false", "f", "0"}

# ---------------------------------------------------------------------------
# Containers that run kube-apiserver.

list_items(c, field) := l if {
	l := c.container[field]
	is_array(l)
} else := []

elements(c) := array.concat(
	[e | some i, t in list_items(c, "command"); e := {"value": t, "path": array.concat(c.path, ["command", i]), "list": array.concat(c.path, ["command"])}],
	[e | some i, t in list_items(c, "args"); e := {"value": t, "path": array.concat(c.path, ["args", i]), "list": array.concat(c.path, ["args"])}],
)

# A script that starts the binary (`sh -c "exec kube-apiserver --a=b ..."`)
# is split into words; a flag missing from it belongs to the script.
script(v) if regex.match(`(^|[\s/;&|])(kube-apiserver|hyperkube)\s`, trim_space(v))

words(e) := [w |
	some k, part in regex.split(`\s+`, trim_space(e.value))
	not part in {"", "\\"}
	w := {"text": trim(part, `"'`), "path": e.path, "list": script_path(e), "script": true, "first": k == 0}
] if {
	is_string(e.value)
	script(e.value)
}

# A one-line script is named by itself, a multi-line one by its field
# (`args:`), where a comment can go.
script_path(e) := e.path if not contains(e.value, "\n")

script_path(e) := e.list if contains(e.value, "\n")

words(e) := [{"text": e.value, "path": e.path, "list": e.list, "script": false, "first": true}] if {
	is_string(e.value)
	not script(e.value)
}

words(e) := [{"text": sprintf("%v", [e.value]), "path": e.path, "list": e.list, "script": false, "first": true}] if {
	not is_string(e.value)
	not is_object(e.value)
	not is_array(e.value)
	e.value != null
}

tokens(c) := [w | some e in elements(c); some w in words(e)]

basename(s) := parts[count(parts) - 1] if {
	parts := split(s, "/")
}

binary(ts, i) if {
	not startswith(ts[i].text, "-")
	basename(ts[i].text) in {"kube-apiserver", "kube-apiserver.exe"}
	command_position(ts, i)
}

# hyperkube apiserver / hyperkube kube-apiserver (before 1.19).
binary(ts, i) if {
	i > 0
	ts[i].text in {"apiserver", "kube-apiserver"}
	basename(ts[i - 1].text) == "hyperkube"
}

# The binary must be what runs: the first word of the command line or of a
# script, or the word after a launcher (`exec kube-apiserver`, `--
# hyperkube kube-apiserver`, `go-runner --log-file=x kube-apiserver`); not
# an argument (`--component kube-apiserver`, `echo kube-apiserver`, `mkdir
# -p /var/log/kube-apiserver`).
command_position(_, 0) := true

command_position(ts, i) if {
	ts[i].script
	ts[i].first
}

command_position(ts, i) if {
	i > 0
	launcher(ts[i - 1].text)
}

launcher(w) if w in {
	"exec", "nohup", "sudo", "env", "time", "command", "then", "do", "else",
	"--", "&&", "||", "|", ";", "--also-stdout", "--redirect-stderr",
}

launcher(w) if regex.match(`(;|&&|\|\||\||\()$`, w)

# A wrapper's own option, or an environment assignment.
launcher(w) if regex.match(`^(--?[A-Za-z0-9-]+|[A-Za-z_][A-Za-z0-9_]*)=`, w)

launcher(w) if basename(w) in {"go-runner", "hyperkube", "watch-termination", "tini", "dumb-init"}

binary_index(ts) := min(found) if {
	found := {i | some i, _ in ts; binary(ts, i)}
	count(found) > 0
}

# An image or container named kube-apiserver run with `args` only: the
# image's entrypoint is the binary.
named_apiserver(c) if c.container.name == "kube-apiserver"

named_apiserver(c) if {
	is_string(c.container.image)
	regex.match(`(^|/)kube-apiserver([:@]|$)`, c.container.image)
}

apiserver_containers contains {"c": c, "tokens": ts, "start": i + 1} if {
	some c in containers
	mentions_apiserver(c)
	ts := tokens(c)
	i := binary_index(ts)
}

# Only a word naming kube-apiserver (or hyperkube's `apiserver`) can be the
# binary: a container whose command and args never say it is not tokenized.
mentions_apiserver(c) if {
	some field in ["command", "args"]
	some v in list_items(c, field)
	is_string(v)
	contains(v, "apiserver")
}

apiserver_containers contains {"c": c, "tokens": ts, "start": 0} if {
	some c in containers
	named_apiserver(c)
	count(list_items(c, "command")) == 0
	not unknown(c.container.command)
	ts := tokens(c)
	not binary_index(ts)
	some t in ts
	startswith(t.text, "--")
}

boolean_flags := {
	"anonymous-auth", "profiling", "allow-privileged", "enable-bootstrap-token-auth",
	"enable-aggregator-routing", "enable-garbage-collector", "enable-priority-and-fairness",
	"audit-log-compress", "audit-log-truncate-enabled", "audit-webhook-truncate-enabled",
	"enable-logs-handler", "kubelet-https", "service-account-lookup", "also-stdout",
	"logtostderr", "alsologtostderr", "allow-metric-labels-manifest", "contention-profiling",
	"insecure-skip-tls-verify",
}

flag_name(text) := substring(text, 2, -1) if not contains(text, "=")

flag_name(text) := substring(text, 2, indexof(text, "=") - 2) if contains(text, "=")

# occurrence(ts, i): the flag written at token i, as {"name", "value", "path", "index"}.
occurrence(ts, i) := {"name": flag_name(t), "value": substring(t, indexof(t, "=") + 1, -1), "path": ts[i].path, "index": i} if {
	t := ts[i].text
	startswith(t, "--")
	contains(t, "=")
}

# `--flag value` as two words (`-` is a value: standard output).
occurrence(ts, i) := {"name": name, "value": ts[i + 1].text, "path": ts[i + 1].path, "index": i} if {
	t := ts[i].text
	startswith(t, "--")
	not contains(t, "=")
	name := flag_name(t)
	not name in boolean_flags
	i + 1 < count(ts)
	not regex.match(`^--?[A-Za-z]`, ts[i + 1].text)
}

# A boolean flag alone means true; `--flag false` is read as written.
occurrence(ts, i) := {"name": name, "value": v, "path": p, "index": i} if {
	t := ts[i].text
	startswith(t, "--")
	not contains(t, "=")
	name := flag_name(t)
	name in boolean_flags
	[v, p] := bool_word(ts, i)
}

bool_word(ts, i) := [ts[i + 1].text, ts[i + 1].path] if {
	i + 1 < count(ts)
	bool_text(ts[i + 1].text)
} else := ["true", ts[i].path]

# Last one wins, as with Go's flag parser.
last_flags(occ) := {name: o |
	some o in occ
	name := o.name
	o.index == max({p.index | some p in occ; p.name == name})
}

# A word that may add flags of its own: a template, or a flag whose name a
# template fills in.
opaque_word(t) if {
	unknown(t.text)
	not regex.match(`^--[A-Za-z0-9-]+(=|$)`, t.text)
}

# A shell expansion in a script (`$KUBE_APISERVER_ARGS`, `"$@"`).
opaque_word(t) if {
	t.script
	contains(t.text, "$")
	not regex.match(`^--[A-Za-z0-9-]+(=|$)`, t.text)
}

opaque_container(a) := true if {
	some i, t in a.tokens
	i >= a.start
	opaque_word(t)
} else := true if {
	some field in ["command", "args"]
	unknown(a.c.container[field])
} else := true if {
	# OpenShift passes most flags in a file (apiServerArguments).
	some i, t in a.tokens
	i >= a.start
	startswith(t.text, "--openshift-config")
} else := false

container_apiserver(a) := {
	"label": sprintf("%s: container %q", [label, k8s.container_name(a.c)]),
	"source": "container",
	"flags": last_flags([o | some i, _ in a.tokens; i >= a.start; o := occurrence(a.tokens, i)]),
	"opaque": opaque_container(a),
	"path": a.tokens[count(a.tokens) - 1].list,
}

# A container named kube-apiserver whose command or args a template fills in
# entirely: its flags are not known at all.
templated_apiservers contains {"label": sprintf("%s: container %q", [label, k8s.container_name(c)]), "path": array.concat(c.path, [field])} if {
	some c in containers
	named_apiserver(c)
	some field in ["command", "args"]
	unknown(c.container[field])
}

# ---------------------------------------------------------------------------
# kubeadm configuration.

kubeadm(kind) if {
	input.kind == kind
	is_string(input.apiVersion)
	startswith(input.apiVersion, "kubeadm.k8s.io/")
}

# extra_args(path): kubeadm extraArgs at path, as {name: {"name", "value", "path", "index"}}.
extra_args(path) := {name: o |
	args := object.get(input, path, null)
	is_object(args)
	some name, v in args
	is_string(name)
	v != null
	not is_object(v)
	not is_array(v)
	o := {"name": name, "value": sprintf("%v", [v]), "path": array.concat(path, [name]), "index": 0}
} if is_object(object.get(input, path, null))

extra_args(path) := last_flags([o |
	some i, item in object.get(input, path, null)
	is_string(item.name)
	v := item.value
	v != null
	not is_object(v)
	not is_array(v)
	o := {"name": item.name, "value": sprintf("%v", [v]), "path": array.concat(path, [i, "value"]), "index": i}
]) if is_array(object.get(input, path, null))

extra_args(path) := {} if {
	not is_object(object.get(input, path, null))
	not is_array(object.get(input, path, null))
}

# Whether a template may add arguments kubeadm passes on.
opaque_extra_args(path) if unknown(object.get(input, path, null))

opaque_extra_args(path) if {
	args := object.get(input, path, null)
	is_object(args)
	some name, _ in args
	unknown(name)
}

opaque_extra_args(path) if {
	args := object.get(input, path, null)
	is_array(args)
	some item in args
	not is_string(item.name)
}

opaque_extra_args(path) if {
	args := object.get(input, path, null)
	is_array(args)
	some item in args
	unknown(item.name)
}

opaque_args(path) := true if opaque_extra_args(path) else := false

# existing_path(path): the longest prefix of path that is written (where a
# missing setting belongs).
existing_path(path) := array.slice(path, 0, max(written)) if {
	written := {n | some n in numbers.range(0, count(path)); written_prefix(path, n)}
}

written_prefix(_, 0) := true

written_prefix(path, n) if {
	n > 0
	object.get(input, array.slice(path, 0, n), null) != null
}

apiserver_args_path := ["apiServer", "extraArgs"]

kubeadm_apiserver := {
	"label": sprintf("%s: kube-apiserver", [label]),
	"source": "kubeadm",
	"flags": extra_args(apiserver_args_path),
	"opaque": opaque_args(apiserver_args_path),
	"path": existing_path(apiserver_args_path),
} if kubeadm("ClusterConfiguration")

# ---------------------------------------------------------------------------
# What rules use.

# apiservers: every kube-apiserver this document configures, as
# {"label": for messages, "source": "container"|"kubeadm",
#  "flags": {name: {"value", "path"}}, "opaque": true when a template or a
#  configuration file (OpenShift's --openshift-config) may add flags,
#  "path": where a missing flag belongs}.
apiservers contains x if {
	some a in apiserver_containers
	x := container_apiserver(a)
}

apiservers contains x if {
	x := kubeadm_apiserver
}

kubelet_args_path := ["nodeRegistration", "kubeletExtraArgs"]

kubeadm_node_config if kubeadm("InitConfiguration")

kubeadm_node_config if kubeadm("JoinConfiguration")

# kubelet_flags: kubelet flags kubeadm passes on this node, {name: {"value", "path"}}.
kubelet_flags := extra_args(kubelet_args_path) if kubeadm_node_config

# kubelet_config: this document is a KubeletConfiguration.
kubelet_config if {
	input.kind == "KubeletConfiguration"
	is_string(input.apiVersion)
	startswith(input.apiVersion, "kubelet.config.k8s.io/")
}
