# METADATA
# title: HTTPS endpoint accepts TLS versions older than 1.2
# description: >-
#   TLS 1.0 and 1.1 are deprecated (RFC 8996): they rely on SHA-1 and MD5
#   constructions and CBC cipher suites with known attacks (BEAST, Lucky13,
#   POODLE against TLS), and no current browser or SDK needs them. An endpoint
#   that still accepts them lets an attacker in the network path, or a client
#   too old to be patched, settle on a protocol whose protection of the
#   traffic cannot be relied on. ISO/IEC 27002 10.8.1 asks that information
#   exchanged over communication facilities be protected from interception
#   and modification, and 12.3.1 asks that cryptographic controls follow a
#   policy, which should exclude protocols known to be weak. Examined: the
#   viewer certificate of CloudFront distributions (`minimum_protocol_version`
#   defaults to `TLSv1`, and the default `*.cloudfront.net` certificate always
#   accepts TLSv1), the `ssl_policy` of HTTPS and TLS listeners of
#   Application and Network Load Balancers (the API's default,
#   `ELBSecurityPolicy-2016-08`, accepts TLS 1.0), and the `security_policy`
#   of API Gateway custom domain names (`TLS_1_0`). Values known only after
#   apply make the check inconclusive.
# custom:
#   id: CL-AWS-055
#   severity: medium
#   targets: [terraform]
#   provider: aws
#   controls:
#     iso27002:2005: ["10.8.1", "12.3.1"]
#     iso27002:2022: ["5.14", "8.24"]
#   remediation: >-
#     CloudFront: use an ACM certificate (`acm_certificate_arn`,
#     `ssl_support_method = "sni-only"`) with `minimum_protocol_version =
#     "TLSv1.2_2021"`. Load balancer listeners: set `ssl_policy =
#     "ELBSecurityPolicy-TLS13-1-2-2021-06"` (or another `TLS13-1-2`,
#     `TLS13-1-3` or `FS-1-2` policy). API Gateway: set `security_policy =
#     "TLS_1_2"` on the `aws_api_gateway_domain_name`.
#   applies_to: [aws_cloudfront_distribution, aws_lb_listener, aws_alb_listener, aws_api_gateway_domain_name]
package clause.rules.terraform.aws.tls_version_outdated

import data.clause.lib.terraform as tf
import rego.v1

# CloudFront

old_cloudfront := {"SSLv3", "TLSv1", "TLSv1_2016", "TLSv1.1_2016"}

certificates contains {"address": address, "at": ["viewer_certificate", i], "block": c} if {
	some address, d in tf.resources("aws_cloudfront_distribution")
	some i, c in tf.blocks(d.values, "viewer_certificate")
	is_object(c)
}

default_certificate(c) if tf.is_true(c.cloudfront_default_certificate)

deny contains {"msg": msg, "label": "accepts TLS 1.0", "path": tf.path(c.address, array.concat(c.at, ["cloudfront_default_certificate"]))} if {
	some c in certificates
	default_certificate(c.block)
	msg := sprintf("%s uses the default *.cloudfront.net certificate, with which CloudFront accepts TLSv1", [c.address])
}

deny contains {"msg": msg, "label": "accepts TLS older than 1.2", "path": tf.path(c.address, array.concat(c.at, ["minimum_protocol_version"]))} if {
	some c in certificates
	not default_certificate(c.block)
	not tf.is_unknown(c.block.cloudfront_default_certificate)
	c.block.minimum_protocol_version in old_cloudfront
	msg := sprintf("%s accepts viewers on TLS versions older than 1.2 (minimum_protocol_version = %q)", [c.address, c.block.minimum_protocol_version])
}

deny contains {"msg": msg, "label": "accepts TLS older than 1.2", "path": tf.path(c.address, c.at)} if {
	some c in certificates
	not default_certificate(c.block)
	not tf.is_unknown(c.block.cloudfront_default_certificate)
	tf.missing(c.block, "minimum_protocol_version")
	msg := sprintf("%s accepts viewers on TLS versions older than 1.2: minimum_protocol_version is not set and defaults to \"TLSv1\"", [c.address])
}

undecided contains {"msg": msg, "path": tf.path(c.address, array.concat(c.at, ["minimum_protocol_version"]))} if {
	some c in certificates
	not default_certificate(c.block)
	tf.is_unknown(c.block.minimum_protocol_version)
	msg := sprintf("%s may accept viewers on TLS versions older than 1.2: minimum_protocol_version = %s is known only after apply", [c.address, c.block.minimum_protocol_version.__unknown__])
}

undecided contains {"msg": msg, "path": tf.path(c.address, array.concat(c.at, ["cloudfront_default_certificate"]))} if {
	some c in certificates
	tf.is_unknown(c.block.cloudfront_default_certificate)
	not tf.is_unknown(c.block.minimum_protocol_version)
	msg := sprintf("%s may accept viewers on TLSv1: whether it uses the default *.cloudfront.net certificate depends on cloudfront_default_certificate = %s, which is known only after apply", [c.address, c.block.cloudfront_default_certificate.__unknown__])
}

# Load balancer listeners

listener_types := ["aws_lb_listener", "aws_alb_listener"]

encrypted_protocol(p) if {
	is_string(p)
	upper(p) in {"HTTPS", "TLS"}
}

# A policy that accepts only TLS 1.2 and later.
modern_policy(p) if {
	is_string(p)
	regex.match(`^ELBSecurityPolicy-(TLS-1-2|TLS13-1-2|TLS13-1-3|FS-1-2)-`, p)
}

deny contains {"msg": msg, "label": "accepts TLS older than 1.2", "path": tf.path(address, ["ssl_policy"])} if {
	some type in listener_types
	some address, l in tf.resources(type)
	encrypted_protocol(l.values.protocol)
	is_string(l.values.ssl_policy)
	not modern_policy(l.values.ssl_policy)
	msg := sprintf("%s accepts TLS versions older than 1.2 (ssl_policy = %q)", [address, l.values.ssl_policy])
}

deny contains {"msg": msg, "label": "accepts TLS older than 1.2", "path": tf.resource_path(address)} if {
	some type in listener_types
	some address, l in tf.resources(type)
	encrypted_protocol(l.values.protocol)
	tf.missing(l.values, "ssl_policy")
	msg := sprintf("%s accepts TLS versions older than 1.2: ssl_policy is not set, so the API's default ELBSecurityPolicy-2016-08 (TLS 1.0 and later) applies", [address])
}

undecided contains {"msg": msg, "path": tf.path(address, ["ssl_policy"])} if {
	some type in listener_types
	some address, l in tf.resources(type)
	may_be_encrypted(l.values.protocol)
	tf.is_unknown(l.values.ssl_policy)
	msg := sprintf("%s may accept TLS versions older than 1.2: ssl_policy = %s is known only after apply", [address, l.values.ssl_policy.__unknown__])
}

undecided contains {"msg": msg, "path": tf.path(address, ["protocol"])} if {
	some type in listener_types
	some address, l in tf.resources(type)
	tf.is_unknown(l.values.protocol)
	not modern_policy(l.values.ssl_policy)
	not tf.is_unknown(l.values.ssl_policy)
	msg := sprintf("%s may accept TLS versions older than 1.2: its ssl_policy is not a TLS 1.2 policy, and whether it terminates TLS depends on protocol = %s, which is known only after apply", [address, l.values.protocol.__unknown__])
}

may_be_encrypted(p) if encrypted_protocol(p)

may_be_encrypted(p) if tf.is_unknown(p)

# API Gateway custom domain names

deny contains {"msg": msg, "label": "accepts TLS 1.0", "path": tf.path(address, ["security_policy"])} if {
	some address, domain in tf.resources("aws_api_gateway_domain_name")
	is_string(domain.values.security_policy)
	upper(domain.values.security_policy) == "TLS_1_0"
	msg := sprintf("%s accepts TLS 1.0 (security_policy = %q)", [address, domain.values.security_policy])
}

undecided contains {"msg": msg, "path": tf.path(address, ["security_policy"])} if {
	some address, domain in tf.resources("aws_api_gateway_domain_name")
	tf.is_unknown(domain.values.security_policy)
	msg := sprintf("%s may accept TLS 1.0: security_policy = %s is known only after apply", [address, domain.values.security_policy.__unknown__])
}

# A resource the rule fails anyway has nothing left to decide.
failed := {d.path[1] | some d in deny}

inconclusive contains c if {
	some c in undecided
	not c.path[1] in failed
}
