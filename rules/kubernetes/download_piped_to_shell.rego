# METADATA
# title: Container runs a script downloaded at start-up
# description: >-
#   A command such as `curl -sSL https://... | sh`, `bash <(wget -qO- ...)`,
#   `sh -c "$(curl ...)"` or PowerShell's `iwr ... | iex` fetches code when
#   the container starts and runs it at once, unverified: whatever the server,
#   a compromised CDN or anyone on the path returns that day is executed with
#   the container's identity and mounts. That code never went through the
#   image build, its scanning or signing, differs from one restart to the
#   next, and leaves no trace in the manifest of what actually ran. ISO/IEC
#   27002 10.4.1 asks for controls against malicious code, including not
#   running software from unverified sources, and 12.4.1 that the
#   installation of software on operational systems be controlled; runtime
#   download-and-execute bypasses both. Container commands and arguments,
#   lifecycle hooks and exec probes of every container, init container and
#   ephemeral container are examined; a command a template fills in entirely
#   is reported as inconclusive.
# custom:
#   id: CL-K8S-034
#   severity: high
#   targets: [kubernetes]
#   controls:
#     iso27002:2005: ["10.4.1", "12.4.1"]
#     iso27002:2022: ["8.7", "8.19"]
#   remediation: >-
#     Install the tool or script in the image at build time (a `RUN` step
#     pinned to a version and checksum, or a multi-stage build) and run it
#     from there; if a download at start-up cannot be avoided, fetch a pinned
#     version to a file, verify its checksum or signature (`sha256sum -c`,
#     `cosign verify-blob`) and only then execute it.
#   applies_to: [Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob, PodTemplate, DeploymentConfig, Rollout]
#   mentions: [curl, wget, fetch, iwr, irm, invoke-webrequest, invoke-restmethod, downloadstring, "{{"]
package clause.rules.kubernetes.download_piped_to_shell

import data.clause.lib.kubernetes as k8s
import data.clause.lib.kubernetes.containers
import data.clause.lib.kubernetes.label
import rego.v1

shells := `((/usr)?(/local)?/bin/)?((ba|da|z|k|a|fi)?sh|python[0-9.]*|perl|ruby|node|php)`

downloaders := `(curl|wget|fetch)`

patterns := [
	# curl ... | sh, wget -qO- ... | sudo bash -s --
	sprintf(`\b%s\b[^;&\n]*\|\s*(sudo\s+(-\S+\s+)*)?(env\s+([A-Za-z_][A-Za-z0-9_]*=\S*\s+)*)?%s\b`, [downloaders, shells]),
	# bash <(curl ...), source <(curl ...)
	sprintf(`(\b%s|\bsource|(^|[\s;&|])\.)\s+(-\S+\s+)*<\(\s*%s\b[^)]*\)?`, [shells, downloaders]),
	# sh -c "$(curl ...)", eval "$(wget ...)", backticks
	sprintf(`(\b%s\s+(-\S+\s+)*-c|\beval)\s+["']?(\$\(|\x60)\s*%s\b[^)\x60]*[)\x60]?`, [shells, downloaders]),
	# PowerShell: iwr ... | iex, iex (New-Object Net.WebClient).DownloadString(...)
	`(?i)\b(iwr|irm|invoke-webrequest|invoke-restmethod)\b[^;\n]*\|\s*(iex|invoke-expression)\b`,
	`(?i)\b(iex|invoke-expression)\b[\s(]*((new-object\s+(system\.)?net\.webclient\s*\)?\s*\.\s*downloadstring)|iwr\b|irm\b|invoke-webrequest\b|invoke-restmethod\b)[^;\n]*`,
]

# `a || b` runs b when a fails: not a pipe.
normalised(text) := replace(text, "||", " ; ")

# Every pattern names a downloader (case as written) or a PowerShell web
# call (any case): one test of those words spares the five on most commands.
runs_download(text) if {
	is_string(text)
	regex.match(`curl|wget|fetch|(?i:iwr|irm|invoke-webrequest|invoke-restmethod|downloadstring)`, text)
	some p in patterns
	regex.match(p, normalised(text))
}

# The command lists of every container, computed once per manifest (every
# finding and template check reads them): {c, field path, list}.
command_lists contains {"c": c, "path": array.concat(c.path, [field]), "list": list} if {
	some c in containers
	some field in ["command", "args"]
	list := c.container[field]
}

command_lists contains {"c": c, "path": array.concat(c.path, ["lifecycle", hook, "exec", "command"]), "list": list} if {
	some c in containers
	some hook in ["postStart", "preStop"]
	list := c.container.lifecycle[hook].exec.command
}

command_lists contains {"c": c, "path": array.concat(c.path, [probe, "exec", "command"]), "list": list} if {
	some c in containers
	some probe in ["livenessProbe", "readinessProbe", "startupProbe"]
	list := c.container[probe].exec.command
}

findings contains {"c": c, "path": element_path(l, i, element), "text": excerpt(element)} if {
	some l in command_lists
	c := l.c
	is_array(l.list)
	some i, element in l.list
	runs_download(element)
}

# A multi-line script is named by its field (`args:`), a one-line command
# by the element itself.
element_path(l, i, element) := array.concat(l.path, [i]) if not contains(element, "\n")

element_path(l, _, element) := l.path if contains(element, "\n")

# Split across elements (`[sh, -c, curl, url, "|", sh]` is unusual, but
# `command: [bash, -c]` with the script in args is common).
findings contains {"c": c, "path": l.path, "text": excerpt(joined)} if {
	some l in command_lists
	c := l.c
	is_array(l.list)
	not element_matches(l.list)
	joined := concat(" ", [sprintf("%v", [e]) | some e in l.list])
	runs_download(joined)
}

# The part of the command that matched, shortened for the message.
excerpt(text) := shortened if {
	found := {m | some p in patterns; some m in regex.find_n(p, normalised(text), 1)}
	first := min(found)
	shortened := short(trim_space(first))
}

short(t) := t if count(t) <= 80

short(t) := concat("", [substring(t, 0, 77), "..."]) if count(t) > 80

element_matches(list) if {
	some e in list
	runs_download(e)
}

deny contains {
	"msg": sprintf("%s: container %q downloads code and runs it unverified (%s)", [label, k8s.container_name(f.c), f.text]),
	"path": f.path,
	"label": "downloaded code executed",
} if {
	some f in findings
}

whole_template(v) if {
	is_string(v)
	regex.match(`^\s*\{\{.*\}\}\s*$`, v)
}

templates contains {"c": c, "path": l.path} if {
	some l in command_lists
	c := l.c
	whole_template(l.list)
}

# A script (after `sh -c`, `powershell -Command`, `cmd /c`) or the command
# itself a template fills in; template arguments (a port, a flag) are not.
templates contains {"c": c, "path": array.concat(l.path, [i])} if {
	some l in command_lists
	c := l.c
	is_array(l.list)
	some i, e in l.list
	whole_template(e)
	script_position(l, i)
}

script_position(l, i) if {
	i > 0
	l.list[i - 1] in {"-c", "-ec", "-xc", "-exc", "-lc", "-Command", "-command", "/c", "/C"}
}

script_position(l, 0) if l.path[count(l.path) - 1] != "args"

inconclusive contains {
	"msg": sprintf("%s: container %q runs a command a template fills in, so whether it downloads and runs code is not known", [label, k8s.container_name(t.c)]),
	"path": t.path,
} if {
	some t in templates
}
