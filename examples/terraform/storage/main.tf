# Order database, uploads bucket and the audit trail.

resource "aws_kms_key" "data" {
  description             = "Customer data"
  deletion_window_in_days = 30
}

resource "aws_db_instance" "orders" {
  identifier          = "orders"
  engine              = "postgres"
  engine_version      = "16.3"
  instance_class      = "db.t4g.medium"
  allocated_storage   = 50
  username            = "orders"
  password            = var.db_password
  publicly_accessible = true
  skip_final_snapshot = true
}

resource "aws_s3_bucket" "uploads" {
  bucket = "shop-customer-uploads"
}

resource "aws_s3_bucket_acl" "uploads" {
  bucket = aws_s3_bucket.uploads.id
  acl    = "public-read"
}

resource "aws_s3_bucket_server_side_encryption_configuration" "uploads" {
  bucket = aws_s3_bucket.uploads.id

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "AES256"
    }
  }
}

resource "aws_ebs_volume" "scratch" {
  availability_zone = "eu-west-1a"
  size              = 100
}

resource "aws_cloudtrail" "audit" {
  name                          = "audit"
  s3_bucket_name                = "shop-audit-logs"
  include_global_service_events = true
  enable_log_file_validation    = false
}
