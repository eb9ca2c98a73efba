# METADATA
# title: GuardDuty threat detection or malware protection is turned off
# description: >-
#   GuardDuty is AWS's managed threat detection: it watches CloudTrail, VPC
#   flow logs and DNS queries for compromised instances, crypto-mining,
#   command-and-control traffic and credential misuse, and with EBS malware
#   protection it scans the volumes of suspicious instances for trojans,
#   backdoors and other malicious files. A detector written with
#   `enable = false` is suspended and reports nothing, and malware protection
#   switched off (the detector's `datasources` block, or an
#   `aws_guardduty_detector_feature` named EBS_MALWARE_PROTECTION with status
#   DISABLED) leaves malicious code on instances undetected. ISO/IEC 27002
#   10.4.1 asks for detection controls against malicious code, and 10.10.2 asks
#   that the use of systems be monitored so that unauthorised activity is
#   noticed; a running detector with malware protection is how an AWS account
#   evidences both. Accounts without a detector in this configuration are not
#   flagged (GuardDuty is often enabled for the whole organisation from a
#   delegated administrator account). A setting known only after apply is
#   reported as an inconclusive check.
# custom:
#   id: CL-AWS-016
#   severity: medium
#   targets: [terraform]
#   provider: aws
#   controls:
#     iso27002:2005: ["10.4.1", "10.10.2"]
#     iso27002:2022: ["8.7", "8.16"]
#   remediation: >-
#     Set `enable = true` on the `aws_guardduty_detector` (or remove the
#     argument: it defaults to true), and turn EBS malware protection on with
#     an `aws_guardduty_detector_feature` whose `name = "EBS_MALWARE_PROTECTION"`
#     and `status = "ENABLED"` (or, in the older `datasources` block,
#     `malware_protection { scan_ec2_instance_with_findings { ebs_volumes { enable = true } } }`).
#   applies_to: [aws_guardduty_detector, aws_guardduty_detector_feature]
package clause.rules.terraform.aws.guardduty_disabled

import data.clause.lib.terraform as tf
import rego.v1

malware_feature := "EBS_MALWARE_PROTECTION"

# ebs_settings(values): every `ebs_volumes` block of a detector's datasources,
# with where it is written.
ebs_settings(values) := [{"block": ebs, "at": ["datasources", i, "malware_protection", j, "scan_ec2_instance_with_findings", k, "ebs_volumes", l]} |
	some i, ds in tf.blocks(values, "datasources")
	some j, mp in tf.blocks(ds, "malware_protection")
	some k, scan in tf.blocks(mp, "scan_ec2_instance_with_findings")
	some l, ebs in tf.blocks(scan, "ebs_volumes")
	is_object(ebs)
]

deny contains {"msg": msg, "label": "detector suspended", "path": tf.path(address, ["enable"])} if {
	some address, detector in tf.resources("aws_guardduty_detector")
	tf.is_false(detector.values.enable)
	msg := sprintf("%s is suspended (enable = false): GuardDuty reports no threats or malware for this account and Region", [address])
}

deny contains {"msg": msg, "label": "malware protection off", "path": tf.path(address, array.concat(s.at, ["enable"]))} if {
	some address, detector in tf.resources("aws_guardduty_detector")
	some s in ebs_settings(detector.values)
	tf.is_false(s.block.enable)
	msg := sprintf("%s has EBS malware protection turned off (ebs_volumes enable = false): volumes of suspicious instances are not scanned for malicious files", [address])
}

deny contains {"msg": msg, "label": "malware protection off", "path": tf.path(address, ["status"])} if {
	some address, feature in tf.resources("aws_guardduty_detector_feature")
	feature.values.name == malware_feature
	feature.values.status == "DISABLED"
	msg := sprintf("%s turns EBS malware protection off (status = \"DISABLED\"): volumes of suspicious instances are not scanned for malicious files", [address])
}

# Checks that depend on a value known only after apply.

undecided contains {"msg": msg, "path": tf.path(address, ["enable"])} if {
	some address, detector in tf.resources("aws_guardduty_detector")
	tf.is_unknown(detector.values.enable)
	msg := sprintf("%s may be suspended: enable = %v is known only after apply", [address, detector.values.enable.__unknown__])
}

undecided contains {"msg": msg, "path": tf.path(address, array.concat(s.at, ["enable"]))} if {
	some address, detector in tf.resources("aws_guardduty_detector")
	some s in ebs_settings(detector.values)
	tf.is_unknown(s.block.enable)
	msg := sprintf("%s may have EBS malware protection turned off: ebs_volumes enable = %v is known only after apply", [address, s.block.enable.__unknown__])
}

undecided contains {"msg": msg, "path": tf.path(address, ["status"])} if {
	some address, feature in tf.resources("aws_guardduty_detector_feature")
	feature.values.name == malware_feature
	tf.is_unknown(feature.values.status)
	msg := sprintf("%s may turn EBS malware protection off: status = %v is known only after apply", [address, feature.values.status.__unknown__])
}

undecided contains {"msg": msg, "path": tf.path(address, ["name"])} if {
	some address, feature in tf.resources("aws_guardduty_detector_feature")
	tf.is_unknown(feature.values.name)
	feature.values.status == "DISABLED"
	msg := sprintf("%s may turn EBS malware protection off: it disables the feature named %v, which is known only after apply", [address, feature.values.name.__unknown__])
}

# A resource the rule fails anyway has nothing left to decide.
failed := {d.path[1] | some d in deny}

inconclusive contains c if {
	some c in undecided
	not c.path[1] in failed
}
