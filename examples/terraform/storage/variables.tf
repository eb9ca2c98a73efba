variable "db_password" {
  description = "Master password of the orders database"
  type        = string
  sensitive   = true
}
