variable "name" {
  description = "Prefix for every resource name"
  type        = string
  default     = "shop"
}

variable "vpc_cidr" {
  description = "Address range of the VPC"
  type        = string
  default     = "10.20.0.0/16"
}
