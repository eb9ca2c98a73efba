#!/usr/bin/env python3
"""Write a tree of N infrastructure-as-code documents of realistic shape.

    bench/generate.py N OUT [--seed S] [--mix TF,K8S,ANS]

A "document" is what clause evaluates as one unit:
  - a Terraform module (a folder of .tf files: variables, locals, count and
    for_each, dynamic blocks, a local submodule call and a registry module
    call, security groups, S3 buckets, IAM roles and policies, instances,
    databases, load balancers, Lambda functions, EKS clusters, KMS keys...);
  - one Kubernetes manifest (files hold 1 to 6 of them, `---`-separated:
    Deployments, StatefulSets, DaemonSets, Jobs, CronJobs, Pods, ReplicaSets,
    Services, Ingresses, NetworkPolicies, RBAC, ConfigMaps, PVCs...);
  - one Ansible playbook (each project has several playbooks that share
    roles with tasks, handlers, defaults, vars, templates, group_vars).

The default mix is 25 % Terraform modules, 50 % Kubernetes manifests and
25 % Ansible playbooks. Output is deterministic for a seed (same N, seed and
mix give byte-identical files). Roughly a third of the settings are insecure
so rules find something, as in real repositories.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
from pathlib import Path

# ----------------------------------------------------------------- helpers


def w(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


def pick(r: random.Random, items):
    return items[r.randrange(len(items))]


def chance(r: random.Random, p: float) -> bool:
    return r.random() < p


WORDS = [
    "alpha", "billing", "catalog", "checkout", "edge", "frontend", "gateway",
    "identity", "inventory", "ledger", "metrics", "orders", "payments",
    "search", "shipping", "users", "reports", "audit", "queue", "cache",
]
REGIONS = ["eu-west-1", "eu-central-1", "us-east-1", "us-west-2", "ap-southeast-1"]
ENVS = ["dev", "staging", "prod"]


def name(r: random.Random) -> str:
    return f"{pick(r, WORDS)}-{pick(r, WORDS)}"


# --------------------------------------------------------------- Terraform


def tf_variables(r: random.Random, app: str) -> str:
    out = [
        'variable "name" {\n  description = "Name prefix for every resource"\n'
        f'  type        = string\n  default     = "{app}"\n}}\n',
        'variable "environment" {\n  type    = string\n'
        f'  default = "{pick(r, ENVS)}"\n\n  validation {{\n'
        '    condition     = contains(["dev", "staging", "prod"], var.environment)\n'
        '    error_message = "environment must be dev, staging or prod"\n  }\n}\n',
        'variable "vpc_cidr" {\n  type    = string\n  default = "10.'
        f'{r.randrange(0, 250)}.0.0/16"\n}}\n',
        'variable "azs" {\n  type    = list(string)\n'
        f'  default = ["{pick(r, REGIONS)}a", "{pick(r, REGIONS)}b", "{pick(r, REGIONS)}c"]\n}}\n',
        'variable "allowed_cidrs" {\n  type    = list(string)\n  default = '
        + ('["0.0.0.0/0"]' if chance(r, 0.4) else '["10.0.0.0/8", "192.168.0.0/16"]')
        + "\n}\n",
        'variable "buckets" {\n  type = map(object({\n    versioning = bool\n'
        "    public     = bool\n  }))\n  default = {\n"
        + "".join(
            f'    {b} = {{ versioning = {str(chance(r, 0.6)).lower()}, public = {str(chance(r, 0.2)).lower()} }}\n'
            for b in sorted({pick(r, WORDS) for _ in range(r.randint(1, 4))})
        )
        + "  }\n}\n",
        'variable "instance_count" {\n  type    = number\n'
        f"  default = {r.randint(1, 4)}\n}}\n",
        'variable "enable_encryption" {\n  type    = bool\n'
        f"  default = {str(chance(r, 0.6)).lower()}\n}}\n",
        'variable "db_password" {\n  type      = string\n  sensitive = true\n'
        + ('  default   = "ChangeMe123!"\n' if chance(r, 0.2) else "")
        + "}\n",
        'variable "tags" {\n  type    = map(string)\n  default = {}\n}\n',
    ]
    return "\n".join(out)


PORTS = {"http": 80, "https": 443, "ssh": 22, "postgres": 5432, "redis": 6379, "rdp": 3389}


def tf_locals(r: random.Random) -> str:
    services = sorted({pick(r, list(PORTS)) for _ in range(r.randint(2, 4))})
    ports = "".join(f"    {s} = {PORTS[s]}\n" for s in services)
    return (
        "locals {\n"
        '  prefix = "${var.name}-${var.environment}"\n'
        "  common_tags = merge(var.tags, {\n"
        "    Environment = var.environment\n"
        '    ManagedBy   = "terraform"\n'
        f'    Team        = "{pick(r, WORDS)}"\n'
        "  })\n"
        "  private_subnets = [for i, az in var.azs : cidrsubnet(var.vpc_cidr, 8, i)]\n"
        "  public_subnets  = [for i, az in var.azs : cidrsubnet(var.vpc_cidr, 8, i + 100)]\n"
        "  ingress_ports = {\n" + ports + "  }\n"
        "}\n"
    )


def tf_network(r: random.Random) -> str:
    sg_rules = "".join(
        "  ingress {\n"
        f'    description = "{d}"\n'
        f"    from_port   = {p}\n    to_port     = {p}\n"
        '    protocol    = "tcp"\n'
        f"    cidr_blocks = {c}\n  }}\n\n"
        for d, p, c in [
            ("web", 443, "var.allowed_cidrs"),
            (
                pick(r, ["admin", "ssh", "db"]),
                pick(r, [22, 3389, 5432]),
                pick(r, ['["0.0.0.0/0"]', '["10.0.0.0/8"]', "var.allowed_cidrs"]),
            ),
        ][: r.randint(1, 2)]
    )
    return (
        'resource "aws_vpc" "this" {\n'
        "  cidr_block           = var.vpc_cidr\n"
        "  enable_dns_hostnames = true\n"
        '  tags                 = merge(local.common_tags, { Name = local.prefix })\n}\n\n'
        'resource "aws_subnet" "private" {\n'
        "  count             = length(var.azs)\n"
        "  vpc_id            = aws_vpc.this.id\n"
        "  cidr_block        = local.private_subnets[count.index]\n"
        "  availability_zone = var.azs[count.index]\n"
        '  tags              = merge(local.common_tags, { Name = "${local.prefix}-private-${count.index}" })\n}\n\n'
        'resource "aws_subnet" "public" {\n'
        "  count                   = length(var.azs)\n"
        "  vpc_id                  = aws_vpc.this.id\n"
        "  cidr_block              = local.public_subnets[count.index]\n"
        "  availability_zone       = var.azs[count.index]\n"
        f"  map_public_ip_on_launch = {str(chance(r, 0.5)).lower()}\n}}\n\n"
        'resource "aws_flow_log" "this" {\n'
        f"  count           = {r.randint(0, 1)}\n"
        "  vpc_id          = aws_vpc.this.id\n"
        '  traffic_type    = "ALL"\n'
        "  log_destination = aws_s3_bucket.this[\"logs\"].arn\n"
        '  log_destination_type = "s3"\n}\n\n'
        'resource "aws_security_group" "app" {\n'
        '  name_prefix = "${local.prefix}-app-"\n'
        '  description = "Application servers"\n'
        "  vpc_id      = aws_vpc.this.id\n\n"
        + sg_rules
        + "  dynamic \"ingress\" {\n"
        "    for_each = local.ingress_ports\n"
        "    content {\n"
        "      description = ingress.key\n"
        "      from_port   = ingress.value\n"
        "      to_port     = ingress.value\n"
        '      protocol    = "tcp"\n'
        "      cidr_blocks = var.allowed_cidrs\n"
        "    }\n  }\n\n"
        "  egress {\n    from_port   = 0\n    to_port     = 0\n"
        '    protocol    = "-1"\n    cidr_blocks = ["0.0.0.0/0"]\n  }\n\n'
        "  lifecycle {\n    create_before_destroy = true\n  }\n}\n\n"
        'resource "aws_security_group_rule" "extra" {\n'
        '  type              = "ingress"\n'
        f"  from_port         = {pick(r, [22, 3306, 8080, 9200])}\n"
        f"  to_port           = {pick(r, [22, 3306, 8080, 9200])}\n"
        '  protocol          = "tcp"\n'
        f'  cidr_blocks       = ["{pick(r, ["0.0.0.0/0", "10.1.0.0/16"])}"]\n'
        "  security_group_id = aws_security_group.app.id\n}\n"
    )


def tf_storage(r: random.Random) -> str:
    sse = (
        'resource "aws_s3_bucket_server_side_encryption_configuration" "this" {\n'
        "  for_each = var.enable_encryption ? aws_s3_bucket.this : {}\n"
        "  bucket   = each.value.id\n\n"
        "  rule {\n    apply_server_side_encryption_by_default {\n"
        '      sse_algorithm     = "aws:kms"\n'
        "      kms_master_key_id = aws_kms_key.this.arn\n    }\n  }\n}\n\n"
    )
    return (
        'resource "aws_kms_key" "this" {\n'
        '  description             = "${local.prefix} data key"\n'
        f"  deletion_window_in_days = {pick(r, [7, 30])}\n"
        f"  enable_key_rotation     = {str(chance(r, 0.6)).lower()}\n"
        "  tags                    = local.common_tags\n}\n\n"
        'resource "aws_s3_bucket" "this" {\n'
        '  for_each      = merge(var.buckets, { logs = { versioning = true, public = false } })\n'
        '  bucket        = "${local.prefix}-${each.key}"\n'
        f"  force_destroy = {str(chance(r, 0.3)).lower()}\n"
        "  tags          = local.common_tags\n}\n\n"
        'resource "aws_s3_bucket_versioning" "this" {\n'
        "  for_each = { for k, v in var.buckets : k => v if v.versioning }\n"
        "  bucket   = aws_s3_bucket.this[each.key].id\n"
        "  versioning_configuration {\n"
        '    status = "Enabled"\n  }\n}\n\n'
        'resource "aws_s3_bucket_public_access_block" "this" {\n'
        "  for_each                = aws_s3_bucket.this\n"
        "  bucket                  = each.value.id\n"
        "  block_public_acls       = !try(var.buckets[each.key].public, false)\n"
        "  block_public_policy     = true\n"
        f"  ignore_public_acls      = {str(chance(r, 0.7)).lower()}\n"
        "  restrict_public_buckets = true\n}\n\n"
        + (sse if chance(r, 0.7) else "")
        + 'resource "aws_s3_bucket_policy" "tls" {\n'
        "  for_each = aws_s3_bucket.this\n"
        "  bucket   = each.value.id\n"
        "  policy = jsonencode({\n"
        '    Version = "2012-10-17"\n'
        "    Statement = [{\n"
        '      Sid       = "DenyInsecureTransport"\n'
        '      Effect    = "Deny"\n'
        '      Principal = "*"\n'
        '      Action    = "s3:*"\n'
        '      Resource  = ["${each.value.arn}", "${each.value.arn}/*"]\n'
        '      Condition = { Bool = { "aws:SecureTransport" = "false" } }\n'
        "    }]\n  })\n}\n"
    )


def tf_iam(r: random.Random) -> str:
    action = pick(r, ['"*"', '["s3:GetObject", "s3:PutObject"]', '["logs:*"]', '["sqs:SendMessage"]'])
    resource = pick(r, ['"*"', "aws_s3_bucket.this[\"logs\"].arn"])
    return (
        'data "aws_iam_policy_document" "assume" {\n'
        "  statement {\n"
        '    actions = ["sts:AssumeRole"]\n'
        "    principals {\n"
        '      type        = "Service"\n'
        f'      identifiers = ["{pick(r, ["ec2", "lambda", "ecs-tasks"])}.amazonaws.com"]\n'
        "    }\n  }\n}\n\n"
        'resource "aws_iam_role" "app" {\n'
        '  name               = "${local.prefix}-app"\n'
        "  assume_role_policy = data.aws_iam_policy_document.assume.json\n"
        "  tags               = local.common_tags\n}\n\n"
        'resource "aws_iam_role_policy" "app" {\n'
        '  name = "${local.prefix}-app"\n'
        "  role = aws_iam_role.app.id\n"
        "  policy = jsonencode({\n"
        '    Version = "2012-10-17"\n'
        "    Statement = [\n"
        "      {\n"
        '        Effect   = "Allow"\n'
        f"        Action   = {action}\n"
        f"        Resource = {resource}\n"
        "      },\n    ]\n  })\n}\n\n"
        'resource "aws_iam_instance_profile" "app" {\n'
        '  name = "${local.prefix}-app"\n'
        "  role = aws_iam_role.app.name\n}\n"
        + (
            '\nresource "aws_iam_user" "ci" {\n  name = "${local.prefix}-ci"\n}\n\n'
            'resource "aws_iam_access_key" "ci" {\n  user = aws_iam_user.ci.name\n}\n\n'
            'resource "aws_iam_user_policy_attachment" "ci" {\n'
            "  user       = aws_iam_user.ci.name\n"
            '  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"\n}\n'
            if chance(r, 0.25)
            else ""
        )
    )


def tf_compute(r: random.Random) -> str:
    parts = [
        'data "aws_ami" "this" {\n  most_recent = true\n  owners      = ["amazon"]\n'
        '  filter {\n    name   = "name"\n    values = ["al2023-ami-*-x86_64"]\n  }\n}\n\n'
        'resource "aws_instance" "app" {\n'
        "  count                  = var.instance_count\n"
        "  ami                    = data.aws_ami.this.id\n"
        f'  instance_type          = "{pick(r, ["t3.micro", "m5.large", "c6i.xlarge"])}"\n'
        "  subnet_id              = aws_subnet.private[count.index % length(aws_subnet.private)].id\n"
        "  vpc_security_group_ids = [aws_security_group.app.id]\n"
        "  iam_instance_profile   = aws_iam_instance_profile.app.name\n"
        f"  monitoring             = {str(chance(r, 0.5)).lower()}\n"
        f"  associate_public_ip_address = {str(chance(r, 0.3)).lower()}\n\n"
        "  metadata_options {\n"
        f'    http_tokens   = "{pick(r, ["required", "optional"])}"\n'
        '    http_endpoint = "enabled"\n  }\n\n'
        "  root_block_device {\n"
        f"    encrypted   = {str(chance(r, 0.6)).lower()}\n"
        "    volume_size = 50\n  }\n\n"
        '  user_data = <<-EOT\n    #!/bin/bash\n    yum install -y nginx\n    systemctl enable --now nginx\n  EOT\n\n'
        '  tags = merge(local.common_tags, { Name = "${local.prefix}-app-${count.index}" })\n}\n'
    ]
    if chance(r, 0.6):
        parts.append(
            '\nresource "aws_db_subnet_group" "this" {\n'
            '  name       = local.prefix\n  subnet_ids = aws_subnet.private[*].id\n}\n\n'
            'resource "aws_db_instance" "this" {\n'
            '  identifier              = "${local.prefix}-db"\n'
            f'  engine                  = "{pick(r, ["postgres", "mysql"])}"\n'
            '  instance_class          = "db.t3.medium"\n'
            "  allocated_storage       = 20\n"
            '  username                = "app"\n'
            "  password                = var.db_password\n"
            "  db_subnet_group_name    = aws_db_subnet_group.this.name\n"
            f"  storage_encrypted       = {str(chance(r, 0.6)).lower()}\n"
            f"  publicly_accessible     = {str(chance(r, 0.2)).lower()}\n"
            f"  backup_retention_period = {pick(r, [0, 1, 7, 14])}\n"
            f"  deletion_protection     = {str(chance(r, 0.5)).lower()}\n"
            f"  multi_az                = {str(chance(r, 0.5)).lower()}\n"
            "  skip_final_snapshot     = true\n"
            "  vpc_security_group_ids  = [aws_security_group.app.id]\n}\n"
        )
    if chance(r, 0.5):
        parts.append(
            '\nresource "aws_lambda_function" "worker" {\n'
            '  function_name = "${local.prefix}-worker"\n'
            "  role          = aws_iam_role.app.arn\n"
            f'  runtime       = "{pick(r, ["python3.12", "nodejs20.x", "python3.7"])}"\n'
            '  handler       = "main.handler"\n'
            '  filename      = "${path.module}/worker.zip"\n'
            "  environment {\n    variables = {\n"
            f'      STAGE = var.environment\n      {pick(r, ["API_KEY", "LOG_LEVEL"])} = "{pick(r, ["sk_live_abcdef123456", "info"])}"\n'
            "    }\n  }\n"
            + ("  tracing_config {\n    mode = \"Active\"\n  }\n" if chance(r, 0.5) else "")
            + "}\n"
        )
    if chance(r, 0.4):
        parts.append(
            '\nresource "aws_lb" "this" {\n'
            '  name               = local.prefix\n'
            f"  internal           = {str(chance(r, 0.5)).lower()}\n"
            '  load_balancer_type = "application"\n'
            "  security_groups    = [aws_security_group.app.id]\n"
            "  subnets            = aws_subnet.public[*].id\n"
            f"  drop_invalid_header_fields = {str(chance(r, 0.5)).lower()}\n}}\n\n"
            'resource "aws_lb_listener" "http" {\n'
            "  load_balancer_arn = aws_lb.this.arn\n"
            "  port              = 80\n"
            '  protocol          = "HTTP"\n'
            "  default_action {\n"
            '    type = "redirect"\n'
            "    redirect {\n      port        = \"443\"\n      protocol    = \"HTTPS\"\n"
            '      status_code = "HTTP_301"\n    }\n  }\n}\n'
        )
    if chance(r, 0.25):
        parts.append(
            '\nresource "aws_eks_cluster" "this" {\n'
            "  name     = local.prefix\n"
            "  role_arn = aws_iam_role.app.arn\n"
            f'  version  = "{pick(r, ["1.24", "1.29", "1.31"])}"\n'
            "  vpc_config {\n"
            "    subnet_ids              = aws_subnet.private[*].id\n"
            f"    endpoint_public_access  = {str(chance(r, 0.5)).lower()}\n"
            "    endpoint_private_access = true\n  }\n"
            + ('  enabled_cluster_log_types = ["api", "audit"]\n' if chance(r, 0.5) else "")
            + "}\n"
        )
    return "".join(parts)


def tf_module(r: random.Random, root: Path, app: str) -> None:
    w(root / "versions.tf",
      'terraform {\n  required_version = ">= 1.5"\n  required_providers {\n'
      '    aws = {\n      source  = "hashicorp/aws"\n      version = "~> 5.0"\n    }\n  }\n}\n\n'
      f'provider "aws" {{\n  region = "{pick(r, REGIONS)}"\n}}\n')
    w(root / "variables.tf", tf_variables(r, app))
    w(root / "locals.tf", tf_locals(r))
    w(root / "network.tf", tf_network(r))
    w(root / "storage.tf", tf_storage(r))
    w(root / "iam.tf", tf_iam(r))
    w(root / "main.tf",
      tf_compute(r)
      + '\nmodule "logging" {\n  source = "./modules/logging"\n\n'
      '  name      = local.prefix\n  bucket_id = aws_s3_bucket.this["logs"].id\n'
      f"  retention = {pick(r, [0, 30, 90, 365])}\n  tags      = local.common_tags\n}}\n"
      + ('\nmodule "vpc_endpoints" {\n  source  = "terraform-aws-modules/vpc/aws//modules/vpc-endpoints"\n'
         '  version = "5.8.1"\n  vpc_id  = aws_vpc.this.id\n}\n' if chance(r, 0.3) else ""))
    w(root / "outputs.tf",
      'output "vpc_id" {\n  value = aws_vpc.this.id\n}\n\n'
      'output "bucket_arns" {\n  value = { for k, b in aws_s3_bucket.this : k => b.arn }\n}\n\n'
      'output "instance_ids" {\n  value = aws_instance.app[*].id\n}\n')
    if chance(r, 0.3):
        w(root / "terraform.tfvars",
          f'environment   = "{pick(r, ENVS)}"\ninstance_count = {r.randint(1, 3)}\n'
          'allowed_cidrs = ["0.0.0.0/0"]\n')
    sub = root / "modules" / "logging"
    w(sub / "variables.tf",
      'variable "name" {\n  type = string\n}\n\nvariable "bucket_id" {\n  type = string\n}\n\n'
      'variable "retention" {\n  type    = number\n  default = 30\n}\n\n'
      'variable "tags" {\n  type    = map(string)\n  default = {}\n}\n')
    w(sub / "main.tf",
      'resource "aws_cloudwatch_log_group" "this" {\n'
      '  name              = "/app/${var.name}"\n'
      "  retention_in_days = var.retention\n  tags              = var.tags\n}\n\n"
      'resource "aws_cloudtrail" "this" {\n'
      '  name                       = var.name\n'
      "  s3_bucket_name             = var.bucket_id\n"
      f"  enable_log_file_validation = {str(chance(r, 0.6)).lower()}\n"
      f"  is_multi_region_trail      = {str(chance(r, 0.6)).lower()}\n"
      "  include_global_service_events = true\n}\n")


# -------------------------------------------------------------- Kubernetes

IMAGES = ["nginx:1.27", "nginx:latest", "redis:7.2", "postgres:16", "ghcr.io/acme/api:v2.3.1",
          "busybox", "registry.k8s.io/pause:3.9", "quay.io/prometheus/node-exporter:v1.8.1"]


def k8s_container(r: random.Random, cname: str) -> list[str]:
    lines = [
        f"- name: {cname}",
        f"  image: {pick(r, IMAGES)}",
        f"  imagePullPolicy: {pick(r, ['Always', 'IfNotPresent'])}",
    ]
    if chance(r, 0.6):
        lines += ["  ports:", f"  - containerPort: {pick(r, [80, 443, 8080, 9090, 5432])}", "    protocol: TCP"]
        if chance(r, 0.2):
            lines += [f"    hostPort: {pick(r, [80, 8080])}"]
    lines += ["  env:", "  - name: LOG_LEVEL", "    value: info"]
    if chance(r, 0.2):
        lines += ["  - name: DB_PASSWORD", "    value: hunter2"]
    else:
        lines += ["  - name: DB_PASSWORD", "    valueFrom:", "      secretKeyRef:",
                  "        name: db", "        key: password"]
    if chance(r, 0.7):
        lines += ["  resources:", "    requests:", f"      cpu: {pick(r, ['100m', '250m', '1'])}",
                  f"      memory: {pick(r, ['128Mi', '512Mi'])}"]
        if chance(r, 0.6):
            lines += ["    limits:", "      cpu: '2'", "      memory: 1Gi"]
    if chance(r, 0.5):
        lines += ["  livenessProbe:", "    httpGet:", "      path: /healthz", "      port: 8080",
                  "    initialDelaySeconds: 10", "  readinessProbe:", "    tcpSocket:", "      port: 8080"]
    sc = []
    if chance(r, 0.15):
        sc.append("    privileged: true")
    if chance(r, 0.5):
        sc.append(f"    allowPrivilegeEscalation: {str(chance(r, 0.3)).lower()}")
    if chance(r, 0.5):
        sc.append("    readOnlyRootFilesystem: true")
    if chance(r, 0.5):
        sc.append(f"    runAsNonRoot: {str(chance(r, 0.7)).lower()}")
    if chance(r, 0.3):
        sc.append("    capabilities:")
        add = chance(r, 0.4)
        if not add or chance(r, 0.5):
            sc += ["      drop:", "      - ALL"]
        if add:
            sc += ["      add:", f"      - {pick(r, ['NET_ADMIN', 'SYS_ADMIN', 'NET_BIND_SERVICE'])}"]
    if sc:
        lines += ["  securityContext:"] + sc
    if chance(r, 0.4):
        lines += ["  volumeMounts:", "  - name: data", "    mountPath: /data"]
    if chance(r, 0.15):
        lines += ["  command: [\"sh\", \"-c\", \"curl -sL https://get.example.com/install.sh | sh && exec app\"]"]
    return lines


def indent(lines: list[str], n: int) -> list[str]:
    pad = " " * n
    return [pad + l for l in lines]


def k8s_pod_spec(r: random.Random, app: str, n: int) -> list[str]:
    spec = []
    if chance(r, 0.3):
        spec.append("serviceAccountName: " + app)
    if chance(r, 0.4):
        spec.append("automountServiceAccountToken: false")
    if chance(r, 0.1):
        spec.append("hostNetwork: true")
    if chance(r, 0.05):
        spec.append("hostPID: true")
    if chance(r, 0.5):
        spec += ["securityContext:", "  runAsUser: 1000", "  fsGroup: 2000",
                 "  seccompProfile:", "    type: RuntimeDefault"]
    spec.append("containers:")
    for i in range(r.randint(1, 3)):
        spec += k8s_container(r, f"{app}-{i}" if i else app)
    if chance(r, 0.3):
        spec.append("initContainers:")
        spec += k8s_container(r, "init")
    spec.append("volumes:")
    spec += ["- name: data"]
    spec += pick(r, [
        ["  emptyDir: {}"],
        ["  persistentVolumeClaim:", f"    claimName: {app}-data"],
        ["  hostPath:", f"    path: {pick(r, ['/var/run/docker.sock', '/var/log', '/etc'])}"],
        ["  configMap:", f"    name: {app}-config"],
    ])
    return indent(spec, n)


def k8s_meta(r: random.Random, app: str, ns: str, kind_suffix: str = "") -> list[str]:
    return ["metadata:", f"  name: {app}{kind_suffix}", f"  namespace: {ns}", "  labels:",
            f"    app.kubernetes.io/name: {app}", f"    app.kubernetes.io/part-of: {pick(r, WORDS)}"]


def k8s_manifest(r: random.Random, app: str, ns: str) -> str:
    kind = pick(r, ["Deployment"] * 4 + ["StatefulSet", "DaemonSet", "Job", "CronJob", "Pod", "ReplicaSet",
                    "Service", "Service", "Ingress", "NetworkPolicy", "Role", "ClusterRoleBinding",
                    "ServiceAccount", "ConfigMap", "PersistentVolumeClaim", "HorizontalPodAutoscaler"])
    out = []
    if kind in ("Deployment", "StatefulSet", "DaemonSet", "ReplicaSet"):
        api = "apps/v1"
        out = [f"apiVersion: {api}", f"kind: {kind}"] + k8s_meta(r, app, ns) + ["spec:"]
        if kind != "DaemonSet":
            out.append(f"  replicas: {r.randint(1, 5)}")
        if kind == "StatefulSet":
            out.append(f"  serviceName: {app}")
        out += ["  selector:", "    matchLabels:", f"      app.kubernetes.io/name: {app}",
                "  template:", "    metadata:", "      labels:", f"        app.kubernetes.io/name: {app}"]
        if chance(r, 0.3):
            out += ["      annotations:", "        prometheus.io/scrape: 'true'"]
        out += ["    spec:"] + k8s_pod_spec(r, app, 6)
        if kind == "StatefulSet":
            out += ["  volumeClaimTemplates:", "  - metadata:", "      name: data", "    spec:",
                    "      accessModes: [ReadWriteOnce]", "      resources:", "        requests:",
                    "          storage: 10Gi"]
    elif kind == "Job":
        out = ["apiVersion: batch/v1", "kind: Job"] + k8s_meta(r, app, ns, "-migrate") + [
            "spec:", "  backoffLimit: 3", "  template:", "    spec:", "      restartPolicy: Never"
        ] + k8s_pod_spec(r, app, 6)
    elif kind == "CronJob":
        out = ["apiVersion: batch/v1", "kind: CronJob"] + k8s_meta(r, app, ns, "-backup") + [
            "spec:", f"  schedule: \"{r.randint(0, 59)} {r.randint(0, 23)} * * *\"", "  jobTemplate:",
            "    spec:", "      template:", "        spec:", "          restartPolicy: OnFailure"
        ] + k8s_pod_spec(r, app, 10)
    elif kind == "Pod":
        out = ["apiVersion: v1", "kind: Pod"] + k8s_meta(r, app, ns, "-debug") + ["spec:"] + k8s_pod_spec(r, app, 2)
    elif kind == "Service":
        t = pick(r, ["ClusterIP", "ClusterIP", "NodePort", "LoadBalancer"])
        out = ["apiVersion: v1", "kind: Service"] + k8s_meta(r, app, ns) + [
            "spec:", f"  type: {t}", "  selector:", f"    app.kubernetes.io/name: {app}", "  ports:",
            "  - name: http", "    port: 80", "    targetPort: 8080"]
        if t == "LoadBalancer" and chance(r, 0.5):
            out += ["  loadBalancerSourceRanges:", "  - 0.0.0.0/0"]
    elif kind == "Ingress":
        out = ["apiVersion: networking.k8s.io/v1", "kind: Ingress"] + k8s_meta(r, app, ns) + [
            "spec:", "  ingressClassName: nginx"]
        if chance(r, 0.5):
            out += ["  tls:", "  - hosts:", f"    - {app}.example.com", f"    secretName: {app}-tls"]
        out += ["  rules:", f"  - host: {app}.example.com", "    http:", "      paths:", "      - path: /",
                "        pathType: Prefix", "        backend:", "          service:", f"            name: {app}",
                "            port:", "              number: 80"]
    elif kind == "NetworkPolicy":
        out = ["apiVersion: networking.k8s.io/v1", "kind: NetworkPolicy"] + k8s_meta(r, app, ns) + [
            "spec:", "  podSelector:", "    matchLabels:", f"      app.kubernetes.io/name: {app}",
            "  policyTypes: [Ingress, Egress]", "  ingress:"]
        out += pick(r, [["  - {}"], ["  - from:", "    - podSelector: {}", "    ports:", "    - port: 8080"]])
        out += ["  egress:", "  - to:", "    - ipBlock:", f"        cidr: {pick(r, ['0.0.0.0/0', '10.0.0.0/8'])}"]
    elif kind == "Role":
        verbs = pick(r, ['["get", "list", "watch"]', '["*"]', '["create", "delete"]'])
        res = pick(r, ['["pods", "configmaps"]', '["secrets"]', '["*"]'])
        out = ["apiVersion: rbac.authorization.k8s.io/v1", "kind: Role"] + k8s_meta(r, app, ns) + [
            "rules:", '- apiGroups: [""]', f"  resources: {res}", f"  verbs: {verbs}"]
    elif kind == "ClusterRoleBinding":
        out = ["apiVersion: rbac.authorization.k8s.io/v1", "kind: ClusterRoleBinding",
               "metadata:", f"  name: {app}-{ns}", "roleRef:", "  apiGroup: rbac.authorization.k8s.io",
               "  kind: ClusterRole", f"  name: {pick(r, ['cluster-admin', 'view', 'edit'])}", "subjects:",
               "- kind: ServiceAccount", f"  name: {pick(r, [app, 'default'])}", f"  namespace: {ns}"]
    elif kind == "ServiceAccount":
        out = ["apiVersion: v1", "kind: ServiceAccount"] + k8s_meta(r, app, ns)
        if chance(r, 0.5):
            out.append("automountServiceAccountToken: false")
    elif kind == "ConfigMap":
        out = ["apiVersion: v1", "kind: ConfigMap"] + k8s_meta(r, app, ns, "-config") + [
            "data:", "  LOG_LEVEL: info", f"  UPSTREAM: http://{pick(r, WORDS)}.{ns}.svc:8080",
            "  app.yaml: |", "    server:", "      port: 8080", "      tls: false"]
    elif kind == "PersistentVolumeClaim":
        out = ["apiVersion: v1", "kind: PersistentVolumeClaim"] + k8s_meta(r, app, ns, "-data") + [
            "spec:", "  accessModes:", "  - ReadWriteOnce", "  resources:", "    requests:",
            f"      storage: {r.randint(1, 100)}Gi"]
    else:
        out = ["apiVersion: autoscaling/v2", "kind: HorizontalPodAutoscaler"] + k8s_meta(r, app, ns) + [
            "spec:", "  scaleTargetRef:", "    apiVersion: apps/v1", "    kind: Deployment", f"    name: {app}",
            "  minReplicas: 2", f"  maxReplicas: {r.randint(3, 20)}"]
    return "\n".join(out) + "\n"


# ----------------------------------------------------------------- Ansible

def ans_task(r: random.Random, role: str, i: int) -> list[str]:
    kind = r.randrange(14)
    pkg = pick(r, ["nginx", "openssh-server", "chrony", "auditd", "fail2ban", "curl", "postgresql"])
    t: list[str]
    if kind == 0:
        t = [f"- name: Install {pkg}", "  ansible.builtin.apt:", f"    name: {pkg}", "    state: present",
             "    update_cache: true"]
        if chance(r, 0.15):
            t.append("    allow_unauthenticated: true")
    elif kind == 1:
        t = [f"- name: Install packages for {role}", "  ansible.builtin.package:", "    name: \"{{ item }}\"",
             "    state: present", "  loop: \"{{ " + role.replace("-", "_") + "_packages }}\""]
    elif kind == 2:
        t = [f"- name: Template {role} config", "  ansible.builtin.template:", f"    src: {role}.conf.j2",
             f"    dest: /etc/{role}/{role}.conf", "    owner: root", "    group: root",
             f"    mode: \"{pick(r, ['0644', '0600', '0777', '0640'])}\"", f"  notify: Restart {role}"]
    elif kind == 3:
        t = ["- name: Harden sshd", "  ansible.builtin.lineinfile:", "    path: /etc/ssh/sshd_config",
             f"    regexp: '^#?{pick(r, ['PermitRootLogin', 'PasswordAuthentication'])}'",
             f"    line: '{pick(r, ['PermitRootLogin no', 'PermitRootLogin yes', 'PasswordAuthentication yes', 'PasswordAuthentication no'])}'",
             "    validate: sshd -t -f %s", "  notify: Restart sshd"]
    elif kind == 4:
        t = [f"- name: Create {role} user", "  ansible.builtin.user:", f"    name: {role}",
             "    shell: /usr/sbin/nologin", "    system: true"]
        if chance(r, 0.3):
            t.append("    password: \"{{ " + role.replace("-", "_") + "_password }}\"")
    elif kind == 5:
        t = [f"- name: Enable {role}", "  ansible.builtin.systemd:", f"    name: {role}", "    state: started",
             "    enabled: true", "    daemon_reload: true"]
    elif kind == 6:
        t = [f"- name: Download {role} release", "  ansible.builtin.get_url:",
             f"    url: {pick(r, ['https', 'http'])}://releases.example.com/{role}/{{{{ {role.replace('-', '_')}_version }}}}/{role}.tar.gz",
             f"    dest: /tmp/{role}.tar.gz", "    mode: \"0644\""]
        if chance(r, 0.3):
            t.append("    validate_certs: false")
    elif kind == 7:
        t = [f"- name: Run {role} setup script", "  ansible.builtin.shell: "
             + pick(r, [f"curl -fsSL https://get.example.com/{role}.sh | bash",
                        f"/opt/{role}/bin/setup --init", "echo {{ db_password }} | passwd --stdin app"]),
             "  args:", f"    creates: /opt/{role}/.done", "  changed_when: false"]
    elif kind == 8:
        t = [f"- name: Create {role} directories", "  ansible.builtin.file:", "    path: \"{{ item }}\"",
             "    state: directory", f"    mode: \"{pick(r, ['0755', '0750', '0777'])}\"", "  loop:",
             f"    - /var/lib/{role}", f"    - /var/log/{role}", f"    - /etc/{role}"]
    elif kind == 9:
        t = ["- name: Configure firewall", "  community.general.ufw:",
             f"    state: {pick(r, ['enabled', 'enabled', 'disabled'])}", "    policy: deny"]
    elif kind == 10:
        t = [f"- name: Set {role} facts", "  ansible.builtin.set_fact:",
             f"    {role.replace('-', '_')}_home: /opt/{role}",
             f"    {role.replace('-', '_')}_port: {r.randint(1024, 9999)}"]
    elif kind == 11:
        t = [f"- name: Add {role} database user", "  community.postgresql.postgresql_user:", f"    name: {role}",
             "    password: " + pick(r, ["\"{{ vault_db_password }}\"", "S3cretPassw0rd"]),
             "  become: true", "  become_user: postgres"]
        if chance(r, 0.5):
            t.append("  no_log: true")
    elif kind == 12:
        t = [f"- name: Show {role} status", "  ansible.builtin.debug:",
             "    msg: \"{{ " + role.replace("-", "_") + "_port }} {{ db_password if debug_secrets else '' }}\""]
    else:
        t = [f"- name: Copy {role} unit", "  ansible.builtin.copy:", f"    dest: /etc/systemd/system/{role}.service",
             "    content: |", "      [Service]", f"      ExecStart=/opt/{role}/bin/{role}", "      User=root",
             "    mode: \"0644\""]
    if chance(r, 0.3):
        t.append("  when: ansible_os_family == 'Debian'")
    if chance(r, 0.3):
        t.append(f"  tags: [{role}, {pick(r, ['install', 'config', 'service'])}]")
    return t


def ans_role(r: random.Random, root: Path, role: str) -> None:
    var = role.replace("-", "_")
    tasks = []
    for i in range(r.randint(6, 18)):
        tasks += ans_task(r, role, i)
    if chance(r, 0.5):
        w(root / "tasks" / "install.yml", "---\n" + "\n".join(ans_task(r, role, 99) + ans_task(r, role, 98)) + "\n")
        tasks += ["- name: Install", "  ansible.builtin.import_tasks: install.yml"]
    w(root / "tasks" / "main.yml", "---\n" + "\n".join(tasks) + "\n")
    w(root / "handlers" / "main.yml",
      f"---\n- name: Restart {role}\n  ansible.builtin.service:\n    name: {role}\n    state: restarted\n\n"
      "- name: Restart sshd\n  ansible.builtin.service:\n    name: sshd\n    state: restarted\n")
    w(root / "defaults" / "main.yml",
      f"---\n{var}_version: {r.randint(1, 9)}.{r.randint(0, 20)}.{r.randint(0, 9)}\n"
      f"{var}_packages:\n  - {role}\n  - {pick(r, ['curl', 'jq', 'unzip'])}\n"
      f"{var}_port: {r.randint(1024, 9999)}\n"
      + (f"{var}_password: \"{pick(r, ['changeme', 'Winter2024!'])}\"\n" if chance(r, 0.3) else "")
      + f"{var}_tls: {str(chance(r, 0.5)).lower()}\n")
    w(root / "vars" / "main.yml", f"---\n{var}_config_dir: /etc/{role}\n")
    w(root / "templates" / f"{role}.conf.j2", f"port = {{{{ {var}_port }}}}\ntls = {{{{ {var}_tls }}}}\n")
    w(root / "meta" / "main.yml",
      f"---\ngalaxy_info:\n  role_name: {var}\n  author: bench\n  license: MIT\n  min_ansible_version: '2.14'\n"
      "dependencies: []\n")


def ans_project(r: random.Random, root: Path, playbooks: int) -> None:
    roles = sorted({pick(r, WORDS) + "-" + pick(r, ["server", "agent", "app", "db", "proxy"])
                    for _ in range(max(3, playbooks + 2))})
    for role in roles:
        ans_role(r, root / "roles" / role, role)
    w(root / "group_vars" / "all.yml",
      "---\nntp_servers:\n  - 0.pool.ntp.org\n  - 1.pool.ntp.org\ndebug_secrets: false\n"
      + ("db_password: \"hunter2\"\n" if chance(r, 0.3) else
         "db_password: \"{{ vault_db_password }}\"\n"))
    w(root / "inventory.ini", "[web]\nweb1 ansible_host=10.0.0.11\n\n[db]\ndb1 ansible_host=10.0.0.21\n")
    for p in range(playbooks):
        chosen = sorted(r.sample(roles, r.randint(1, min(4, len(roles)))))
        plays = [
            f"- name: Configure {pick(r, WORDS)} hosts {p}",
            f"  hosts: {pick(r, ['web', 'db', 'all'])}",
            f"  become: {str(chance(r, 0.8)).lower()}",
            "  vars:",
            f"    app_env: {pick(r, ENVS)}",
        ]
        if chance(r, 0.2):
            plays.append(f"    admin_password: {pick(r, ['P@ssw0rd', 'letmein'])}")
        plays += ["  pre_tasks:", "    - name: Update apt cache", "      ansible.builtin.apt:",
                  "        update_cache: true", "        cache_valid_time: 3600", "  roles:"]
        plays += [f"    - role: {role}" for role in chosen]
        plays += ["  tasks:"]
        for i in range(r.randint(1, 5)):
            plays += indent(ans_task(r, "site", i), 4)
        if chance(r, 0.4):
            plays += ["", "- name: Second play", "  hosts: all", "  gather_facts: false", "  tasks:"]
            plays += indent(ans_task(r, "site", 50), 4)
        w(root / f"playbook-{p:02d}.yml", "---\n" + "\n".join(plays) + "\n")


# -------------------------------------------------------------------- main


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("n", type=int, help="number of documents")
    ap.add_argument("out", type=Path, help="output folder (created; must be empty or absent)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--mix", default="25,50,25", help="percent of Terraform modules, manifests, playbooks")
    a = ap.parse_args()
    mix = [int(x) for x in a.mix.split(",")]
    if len(mix) != 3 or sum(mix) <= 0:
        ap.error("--mix takes three numbers")
    if a.out.exists() and any(a.out.iterdir()):
        ap.error(f"{a.out} is not empty")
    n_tf = a.n * mix[0] // sum(mix)
    n_ans = a.n * mix[2] // sum(mix)
    n_k8s = a.n - n_tf - n_ans
    r = random.Random(a.seed)

    # Terraform: modules grouped 50 to a repository-like folder.
    for i in range(n_tf):
        app = name(r)
        tf_module(r, a.out / "terraform" / f"repo-{i // 50:04d}" / f"{app}-{i:06d}", app)

    # Kubernetes: 1-6 manifests a file, 40 files a folder.
    made = f = 0
    while made < n_k8s:
        k = min(r.randint(1, 6), n_k8s - made)
        app = pick(r, WORDS) + f"-{f}"
        ns = pick(r, ["default", "prod", "staging", "kube-system", "monitoring"])
        docs = [k8s_manifest(r, app, ns) for _ in range(k)]
        w(a.out / "kubernetes" / f"app-{f // 40:05d}" / f"{app}.yaml", "---\n".join(docs))
        made += k
        f += 1

    # Ansible: projects of 2-8 playbooks sharing their roles.
    made = p = 0
    while made < n_ans:
        k = min(r.randint(2, 8), n_ans - made)
        ans_project(r, a.out / "ansible" / f"project-{p:05d}", k)
        made += k
        p += 1

    files = sum(len(fs) for _, _, fs in os.walk(a.out))
    print(f"{a.out}: {n_tf} Terraform modules, {n_k8s} Kubernetes manifests, {n_ans} Ansible playbooks; "
          f"{files} files (seed {a.seed})", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
