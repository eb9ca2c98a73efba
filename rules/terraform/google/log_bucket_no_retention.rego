# METADATA
# title: Cloud Storage bucket receiving exported logs has no retention policy
# description: >-
#   Log sinks export audit and other logs to Cloud Storage so they are kept
#   longer than Cloud Logging keeps them. Without a retention policy on the
#   destination bucket, anyone with delete rights on its objects (including an
#   attacker using a stolen administrator account, or a lifecycle rule) can
#   delete or replace exported logs before their time, which is exactly what
#   an intruder covering their tracks does. A retention policy makes every
#   object undeletable and unmodifiable for the retention period, and locking
#   it (`is_locked = true`) makes the policy itself irreversible. ISO/IEC
#   27002 15.1.3 asks that records be protected from loss, destruction and
#   falsification for their retention period, and 10.10.3 asks that logging
#   facilities and log information be protected against tampering and
#   unauthorised access. The rule flags a `google_storage_bucket` of the
#   module that a project, folder, organisation or billing account sink names
#   in its `destination` (`storage.googleapis.com/BUCKET`) and that has no
#   `retention_policy`. When a sink's destination is known only after apply,
#   buckets without a retention policy that it may name are reported as
#   inconclusive checks.
# custom:
#   id: CL-GCP-024
#   severity: medium
#   targets: [terraform]
#   provider: google
#   controls:
#     iso27002:2005: ["15.1.3", "10.10.3"]
#     iso27002:2022: ["5.33", "8.15"]
#   remediation: >-
#     Add `retention_policy { retention_period = 31536000 }` (in seconds; use
#     the retention your log policy requires) to the destination bucket, and
#     set `is_locked = true` once the period is agreed, which makes it
#     irreversible (Bucket Lock).
#   applies_to: [google_storage_bucket, google_logging_project_sink, google_logging_folder_sink, google_logging_organization_sink, google_logging_billing_account_sink]
package clause.rules.terraform.google.log_bucket_no_retention

import data.clause.lib.terraform as tf
import rego.v1

sink_types := ["google_logging_project_sink", "google_logging_folder_sink", "google_logging_organization_sink", "google_logging_billing_account_sink"]

prefix := "storage.googleapis.com/"

sinks := {address: s |
	some type in sink_types
	some address, s in tf.resources(type)
}

buckets := tf.resources("google_storage_bucket")

# names_bucket(destination, address, bucket): a sink's destination is this
# bucket, written out or built from a reference to it.
names_bucket(d, _, bucket) if {
	is_string(d)
	startswith(d, prefix)
	is_string(bucket.values.name)
	trim_suffix(substring(d, count(prefix), -1), "/") == bucket.values.name
}

names_bucket(d, address, bucket) if tf.links(d, address, bucket)

# may_name_bucket(d): a destination known only after apply that resolves to
# no bucket of the module.
may_name_bucket(d) if {
	tf.is_unknown(d)
	not other_service(d.__unknown__)
	every address, bucket in buckets {
		not tf.links(d, address, bucket)
	}
}

# A destination written for BigQuery, Pub/Sub or a log bucket.
other_service(text) if {
	is_string(text)
	regex.match(`^"?(bigquery|pubsub|logging)\.googleapis\.com/`, text)
}

retained(bucket) if {
	some p in tf.blocks(bucket.values, "retention_policy")
	not is_null(p)
}

retained(bucket) if tf.is_unknown(bucket.values.retention_policy)

senders(address, bucket) := sort([a |
	some a, s in sinks
	names_bucket(s.values.destination, address, bucket)
])

deny contains {"msg": msg, "label": "log records deletable", "path": tf.resource_path(address)} if {
	some address, bucket in buckets
	from := senders(address, bucket)
	count(from) > 0
	not retained(bucket)
	msg := sprintf("%s receives logs exported by %s but has no retention_policy, so the exported logs can be deleted or overwritten at any time", [address, concat(", ", from)])
}

# Checks that depend on a value known only after apply.
inconclusive contains {"msg": msg, "path": tf.resource_path(address)} if {
	some address, bucket in buckets
	count(senders(address, bucket)) == 0
	not retained(bucket)
	maybe := sort([sprintf("%s (destination = %s)", [a, s.values.destination.__unknown__]) |
		some a, s in sinks
		may_name_bucket(s.values.destination)
	])
	count(maybe) > 0
	msg := sprintf("%s has no retention_policy and may receive exported logs: the destination of %s is known only after apply", [address, concat(", ", maybe)])
}
