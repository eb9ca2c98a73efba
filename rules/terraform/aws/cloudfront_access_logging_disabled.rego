# METADATA
# title: CloudFront distribution does not write access logs
# description: >-
#   CloudFront access logs record every viewer request the distribution
#   served: client address, time, URL, status, bytes, TLS version, user agent
#   and edge location. For content and APIs served through CloudFront they are
#   often the only record of who fetched what, since many requests are served
#   from the cache and never reach the origin's own logs. ISO/IEC 27002 10.10.1
#   asks that audit logs recording user activities and security events be
#   produced and kept. Logging counts when the distribution has a
#   `logging_config` block (standard logging to S3), or when an
#   `aws_cloudwatch_log_delivery_source` with `log_type = "ACCESS_LOGS"` for
#   the distribution feeds an `aws_cloudwatch_log_delivery` (standard logging
#   v2). Real-time logs are sampled and kept only as long as their stream
#   keeps them, so they do not count. When a delivery source of the module
#   names its distribution in a way clause cannot resolve, or `logging_config`
#   is known only after apply, the check is inconclusive.
# custom:
#   id: CL-AWS-060
#   severity: medium
#   targets: [terraform]
#   provider: aws
#   controls:
#     iso27002:2005: ["10.10.1"]
#     iso27002:2022: ["8.15"]
#   remediation: >-
#     Add `logging_config { bucket = "<log-bucket>.s3.amazonaws.com", prefix =
#     "<distribution>/" }` (the bucket must allow ACLs for the log delivery),
#     or set up standard logging v2: an `aws_cloudwatch_log_delivery_source`
#     with `log_type = "ACCESS_LOGS"` and `resource_arn =
#     aws_cloudfront_distribution.<name>.arn`, an
#     `aws_cloudwatch_log_delivery_destination` (S3, CloudWatch Logs or
#     Firehose) and an `aws_cloudwatch_log_delivery` joining them.
#   applies_to: [aws_cloudfront_distribution, aws_cloudwatch_log_delivery_source, aws_cloudwatch_log_delivery]
package clause.rules.terraform.aws.cloudfront_access_logging_disabled

import data.clause.lib.terraform as tf
import rego.v1

access_sources := {a: s |
	some a, s in tf.resources("aws_cloudwatch_log_delivery_source")
	s.values.log_type == "ACCESS_LOGS"
}

# delivered(a, s): a delivery takes this source's logs somewhere.
delivered(a, s) if {
	some _, d in tf.resources("aws_cloudwatch_log_delivery")
	source_link(d.values.delivery_source_name, a, s)
}

source_link(v, a, _) if tf.refers_to(v, a)

source_link(v, _, s) if tf.refers_to(v, s.config_address)

source_link(v, _, s) if {
	is_string(v)
	v == s.values.name
}

# A delivery whose source clause cannot resolve may deliver any source.
delivered(_, _) if {
	some _, d in tf.resources("aws_cloudwatch_log_delivery")
	tf.is_unknown(d.values.delivery_source_name)
	not names_a_source(d.values.delivery_source_name)
}

names_a_source(v) if {
	some a, s in tf.resources("aws_cloudwatch_log_delivery_source")
	source_link(v, a, s)
}

v2_logging(address, dist) if {
	some a, s in access_sources
	tf.links(s.values.resource_arn, address, dist)
	delivered(a, s)
}

logged(address, dist) if {
	some block in tf.blocks(dist.values, "logging_config")
	is_object(block)
}

logged(address, dist) if v2_logging(address, dist)

# Access log sources whose distribution clause cannot resolve.
unresolved := sort([a |
	some a, s in access_sources
	tf.is_unknown(s.values.resource_arn)
	not names_a_distribution(s.values.resource_arn)
])

names_a_distribution(v) if {
	some address, dist in tf.resources("aws_cloudfront_distribution")
	tf.links(v, address, dist)
}

candidate(address, dist) if {
	not logged(address, dist)
	not tf.is_unknown(dist.values.logging_config)
}

deny contains {"msg": msg, "label": "no access logs", "path": tf.resource_path(address)} if {
	some address, dist in tf.resources("aws_cloudfront_distribution")
	candidate(address, dist)
	count(unresolved) == 0
	msg := sprintf("%s writes no access logs: it has no logging_config and no standard logging v2 delivery", [address])
}

# Checks that depend on a value known only after apply.

undecided contains {"msg": msg, "path": tf.resource_path(address)} if {
	some address, dist in tf.resources("aws_cloudfront_distribution")
	candidate(address, dist)
	count(unresolved) > 0
	msg := sprintf("%s has no logging_config and may be the distribution whose access logs %s delivers, whose resource_arn is known only after apply", [address, concat(", ", unresolved)])
}

undecided contains {"msg": msg, "path": tf.path(address, ["logging_config"])} if {
	some address, dist in tf.resources("aws_cloudfront_distribution")
	tf.is_unknown(dist.values.logging_config)
	not v2_logging(address, dist)
	msg := sprintf("%s may write no access logs: logging_config = %s is known only after apply", [address, dist.values.logging_config.__unknown__])
}

# A resource the rule fails anyway has nothing left to decide.
failed := {d.path[1] | some d in deny}

inconclusive contains c if {
	some c in undecided
	not c.path[1] in failed
}
