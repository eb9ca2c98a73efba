# METADATA
# title: ECR repository does not scan images on push
# description: >-
#   Amazon ECR can scan every image pushed to a repository for known
#   vulnerabilities (CVEs in the operating system packages, and with enhanced
#   scanning in language packages too). A repository without scan on push
#   (`image_scanning_configuration { scan_on_push = true }`, false by default)
#   and not covered by a registry-wide scanning rule accepts images whose
#   vulnerable packages nobody is told about before they are deployed. ISO/IEC
#   27002 12.6.1 asks that information about technical vulnerabilities of the
#   systems in use be obtained in a timely way and acted on; scanning images
#   as they enter the registry is how container workloads get that
#   information. A repository counts as scanned when an
#   `aws_ecr_registry_scanning_configuration` of the same configuration has a
#   rule with `scan_frequency` SCAN_ON_PUSH or CONTINUOUS_SCAN whose wildcard
#   filter matches its name. Values known only after apply (the setting, the
#   repository's name, a registry rule) are reported as inconclusive checks.
# custom:
#   id: CL-AWS-017
#   severity: medium
#   targets: [terraform]
#   provider: aws
#   controls:
#     iso27002:2005: ["12.6.1"]
#     iso27002:2022: ["8.8"]
#   remediation: >-
#     Add `image_scanning_configuration { scan_on_push = true }` to the
#     `aws_ecr_repository`, or scan the whole registry with an
#     `aws_ecr_registry_scanning_configuration` (for example `scan_type =
#     "ENHANCED"` and a `rule` with `scan_frequency = "CONTINUOUS_SCAN"` and
#     `repository_filter { filter = "*", filter_type = "WILDCARD" }`).
#   applies_to: [aws_ecr_repository]
package clause.rules.terraform.aws.ecr_scan_on_push_disabled

import data.clause.lib.terraform as tf
import rego.v1

scanning_frequencies := {"SCAN_ON_PUSH", "CONTINUOUS_SCAN"}

# Registry-wide rules that scan images: their filters, with the rule's
# frequency.
registry_filters contains {"filter": f.filter, "frequency": rule.scan_frequency, "address": address} if {
	some address, config in tf.resources("aws_ecr_registry_scanning_configuration")
	some rule in tf.blocks(config.values, "rule")
	is_object(rule)
	some f in tf.blocks(rule, "repository_filter")
	is_object(f)
}

# pattern(filter): the regular expression of a wildcard filter (repository
# names hold only lower-case letters, digits, `.`, `_`, `-` and `/`).
pattern(filter) := concat("", ["^", replace(replace(filter, ".", "\\."), "*", ".*"), "$"])

matches(filter, name) if {
	is_string(filter)
	is_string(name)
	regex.match(pattern(filter), name)
}

covered_by_registry(repo) if {
	some f in registry_filters
	f.frequency in scanning_frequencies
	matches(f.filter, repo.values.name)
}

# A filter of `*` covers every repository, whatever its name.
covered_by_registry(repo) if {
	some f in registry_filters
	f.frequency in scanning_frequencies
	f.filter == "*"
}

# maybe_covered(repo): why a registry rule may cover the repository once
# values known only after apply are known.
maybe_covered(repo) := sort(reasons)[0] if {
	reasons := maybe_covered_because(repo)
	count(reasons) > 0
}

maybe_covered_because(repo) := {sprintf("its name (name = %v) is known only after apply, and %s scans the repositories matching %s", [repo.values.name.__unknown__, f.address, shown(f.filter)]) |
	tf.is_unknown(repo.values.name)
	some f in registry_filters
	f.frequency in scanning_frequencies
} | {sprintf("%s has a rule whose filter or frequency is known only after apply", [f.address]) |
	some f in registry_filters
	unknown_rule(f)
	may_match(f.filter, repo.values.name)
}

shown(v) := sprintf("%q", [v]) if is_string(v)

shown(v) := sprintf("%v", [v.__unknown__]) if tf.is_unknown(v)

shown(v) := sprintf("%v", [v]) if {
	not is_string(v)
	not tf.is_unknown(v)
}

unknown_rule(f) if tf.is_unknown(f.filter)

unknown_rule(f) if tf.is_unknown(f.frequency)

may_match(filter, _) if tf.is_unknown(filter)

may_match(filter, name) if matches(filter, name)

settings(values) := [{"value": c.scan_on_push, "at": ["image_scanning_configuration", i, "scan_on_push"]} |
	some i, c in tf.blocks(values, "image_scanning_configuration")
	is_object(c)
	tf.has_key(c, "scan_on_push")
	c.scan_on_push != null
]

scans_on_push(values) if {
	some s in settings(values)
	tf.is_true(s.value)
}

unknown_setting(values) := unknowns[0] if {
	unknowns := [s | some s in settings(values); tf.is_unknown(s.value)]
	count(unknowns) > 0
}

candidate(repo) if {
	not scans_on_push(repo.values)
	not covered_by_registry(repo)
}

flagged(repo) if {
	candidate(repo)
	not unknown_setting(repo.values)
	not maybe_covered(repo)
}

deny contains {"msg": msg, "label": "not scanned", "path": tf.path(address, s.at)} if {
	some address, repo in tf.resources("aws_ecr_repository")
	flagged(repo)
	some s in settings(repo.values)
	tf.is_false(s.value)
	msg := sprintf("%s does not scan images for vulnerabilities when they are pushed (scan_on_push = false), and no registry scanning rule covers it", [address])
}

deny contains {"msg": msg, "label": "not scanned", "path": tf.resource_path(address)} if {
	some address, repo in tf.resources("aws_ecr_repository")
	flagged(repo)
	count(settings(repo.values)) == 0
	msg := sprintf("%s does not scan images for vulnerabilities when they are pushed: scan_on_push is not set and defaults to false, and no registry scanning rule covers it", [address])
}

# Checks that depend on a value known only after apply.

undecided contains {"msg": msg, "path": tf.path(address, s.at)} if {
	some address, repo in tf.resources("aws_ecr_repository")
	candidate(repo)
	s := unknown_setting(repo.values)
	msg := sprintf("%s may not scan images when they are pushed: scan_on_push = %v is known only after apply", [address, s.value.__unknown__])
}

undecided contains {"msg": msg, "path": tf.resource_path(address)} if {
	some address, repo in tf.resources("aws_ecr_repository")
	candidate(repo)
	not unknown_setting(repo.values)
	why := maybe_covered(repo)
	msg := sprintf("%s does not scan images on push itself and may not be covered by a registry scanning rule: %s", [address, why])
}

# A resource the rule fails anyway has nothing left to decide.
failed := {d.path[1] | some d in deny}

inconclusive contains c if {
	some c in undecided
	not c.path[1] in failed
}
