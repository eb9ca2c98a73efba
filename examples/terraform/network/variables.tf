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

variable "admin_cidrs" {
  description = "Ranges allowed to reach the bastion over SSH"
  type        = list(string)
  # Left open "for now" when the bastion was set up.
  default = ["0.0.0.0/0"]
}
