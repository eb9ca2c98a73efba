# METADATA
# title: Downloaded script piped straight into a shell
# description: >-
#   `curl ... | sh`, `bash <(curl ...)`, `sh -c "$(wget -O- ...)"` and
#   PowerShell's `iwr ... | iex` run whatever the server (or anyone able to
#   tamper with the server, the CDN, the DNS answer or the connection) returns
#   at that moment, usually as root, with nothing pinning what was reviewed and
#   nothing recorded of what ran; a dropped connection can even run half a
#   script. ISO/IEC 27002 10.4.1 asks for controls that keep malicious code off
#   systems, and 12.4.1 that software installed on operational systems be
#   controlled: known, verified versions installed by a repeatable procedure.
#   Commands are read with their variables resolved; parts clause cannot
#   resolve stay as written, so `curl {{ url }} | sh` is still flagged, and a
#   command clause cannot resolve at all is an inconclusive check.
# custom:
#   id: CL-ANS-008
#   severity: high
#   targets: [ansible]
#   controls:
#     iso27002:2005: ["10.4.1", "12.4.1"]
#     iso27002:2022: ["8.7", "8.19"]
#   remediation: >-
#     Install from a signed package repository when one exists. Otherwise
#     download the script with ansible.builtin.get_url and a pinned `checksum:
#     "sha256:<digest>"` (the version you reviewed), then run the local copy
#     with ansible.builtin.command, using `creates:` to keep it idempotent.
#   applies_to: [ansible.builtin.shell, ansible.builtin.command, ansible.builtin.raw, ansible.windows.win_shell, ansible.windows.win_command]
package clause.rules.ansible.curl_pipe_shell

import data.clause.lib.ansible as ans
import rego.v1

modules := {
	"ansible.builtin.shell", "ansible.builtin.command", "ansible.builtin.raw",
	"ansible.windows.win_shell", "ansible.windows.win_command",
}

deny contains {
	"msg": sprintf("%s %s", [ans.name(t), how]),
	"path": array.concat(["tasks", i, "args"], c.path),
	"label": "unverified remote script executed",
} if {
	some i, t in ans.tasks_in(modules)
	some c in commands(t)
	cmd := lower(c.text)
	# Every pattern of remote_execution names a downloader or
	# Invoke-Expression (iex): one test spares the others on most commands.
	regex.match(`curl|wget|iex|invoke-expression`, cmd)
	how := remote_execution(cmd)
}

# A command clause cannot resolve at all (`shell: "{{ install_cmd }}"`):
# whether it pipes a download into a shell cannot be decided here. Text with
# some unresolved parts is still read for its literal pipeline.
inconclusive contains {
	"msg": sprintf("%s runs %s, which clause cannot resolve: it may pipe a downloaded script into a shell", [ans.name(t), c.text]),
	"path": array.concat(["tasks", i, "args"], c.path),
} if {
	some i, t in ans.tasks_in(modules)
	some c in ans.unknown_commands(t)
}

# The command: free-form or `cmd` text (known, or with its unresolved parts
# as written), or the `argv` list joined.
commands(t) := ans.commands(t)

# Only the downloader and the interpreter are captured (groups 1 and 2).
fetcher := `(curl|wget)`

shells := `(sh|bash|zsh|ksh|dash|ash)`

interpreters := `(python[0-9.]*|perl|ruby|php|node)`

# Optional `sudo [options]` / `env VAR=x` and directory before the shell.
runner := `(?:sudo(?:[[:space:]]+-[^[:space:]|;&]+(?:[[:space:]]+[a-z0-9_-]+)?)*[[:space:]]+)?(?:env(?:[[:space:]]+[a-z_][a-z0-9_]*=[^[:space:]]*)*[[:space:]]+)?(?:[^[:space:]|;&]*/)?`

# Text between the download and the pipe: anything but a command separator
# (`;`, `&&`, `||`, newline); further pipes (`| gunzip |`) are allowed.
between := `(?:[^;&|\n]|\|[^|;&\n])*?`

start := `(?:^|[^a-z0-9_.-])`

# curl ... | sh (or | sudo bash -s --, | /bin/bash -)
remote_execution(cmd) := sprintf("pipes a download from %s straight into %s", [m[1], m[2]]) if {
	pattern := concat("", [start, fetcher, `[[:space:]]`, between, `\|[[:space:]]*`, runner, shells, `(?:[[:space:]]|$|;|&|\))`])
	m := regex.find_all_string_submatch_n(pattern, cmd, 1)[0]
} else := sprintf("pipes a download from %s straight into %s", [m[1], m[2]]) if {
	# | python3, | perl, ... reading the program from stdin (no script, no -c).
	pattern := concat("", [start, fetcher, `[[:space:]]`, between, `\|[[:space:]]*`, runner, interpreters, `[[:space:]]*(?:-[[:space:]]*)?(?:$|;|&|\))`])
	m := regex.find_all_string_submatch_n(pattern, cmd, 1)[0]
} else := sprintf("runs the output of %s with %s", [m[2], m[1]]) if {
	# bash <(curl ...), source <(curl ...), . <(curl ...)
	pattern := concat("", [`(?:^|[[:space:];&|(])(sh|bash|zsh|ksh|dash|source|\.)(?:[[:space:]]+-[^[:space:]]+)*[[:space:]]+<\([[:space:]]*`, fetcher, `[[:space:]]`])
	m := regex.find_all_string_submatch_n(pattern, cmd, 1)[0]
} else := sprintf("runs the output of %s with %s", [m[2], m[1]]) if {
	# sh -c "$(curl ...)", eval "$(wget -O- ...)", with $( ) or backticks
	pattern := concat("", [`(?:^|[[:space:];&|(])((?:sh|bash|zsh|ksh|dash)(?:[[:space:]]+-[a-z]+)*[[:space:]]+-[a-z]*c|eval)[[:space:]]+["']?(?:\$\(|`, "`", `)[[:space:]]*`, fetcher, `[[:space:]]`])
	m := regex.find_all_string_submatch_n(pattern, cmd, 1)[0]
} else := "runs a downloaded script with Invoke-Expression" if {
	# PowerShell: iex ((New-Object Net.WebClient).DownloadString(...))
	regex.match(`(?:^|[^a-z0-9-])(?:iex|invoke-expression)[[:space:]]*\(.*(?:downloadstring|invoke-webrequest|invoke-restmethod|iwr[[:space:]]|irm[[:space:]])`, cmd)
} else := "runs a downloaded script with Invoke-Expression" if {
	# iwr ... | iex
	regex.match(`(?:^|[^a-z0-9-])(?:iwr|irm|invoke-webrequest|invoke-restmethod|curl|wget)[[:space:]][^|;]*\|[[:space:]]*(?:iex|invoke-expression)(?:[[:space:]]|$|;)`, cmd)
}
