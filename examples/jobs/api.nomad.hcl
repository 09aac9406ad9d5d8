variable "api_image" {
  type = string
}

variable "api_count" {
  type    = number
  default = 2
}

variable "environment" {
  type = string
}

variable "log_level" {
  type    = string
  default = "info"

  validation {
    condition     = contains(["debug", "info", "warn", "error"], var.log_level)
    error_message = "The log_level must be one of debug, info, warn or error."
  }
}

job "api" {
  type = "service"

  meta {
    environment = var.environment
  }

  group "api" {
    count = var.api_count

    network {
      port "http" {
        to = 8080
      }
    }

    update {
      max_parallel     = 1
      min_healthy_time = "10s"
      healthy_deadline = "3m"
      auto_revert      = true
    }

    service {
      name     = "api"
      port     = "http"
      provider = "nomad"

      check {
        type     = "http"
        path     = "/healthz"
        interval = "10s"
        timeout  = "2s"
      }
    }

    task "server" {
      driver = "docker"

      config {
        image = var.api_image
        ports = ["http"]
      }

      # drover masks values whose key looks secret (DB_PASSWORD, API_TOKEN) in every plan rendering.
      template {
        destination = "secrets/app.env"
        env         = true
        data        = <<-EOT
          LOG_LEVEL=${var.log_level}
          ENVIRONMENT=${var.environment}
          REDIS_ADDR={{ range nomadService "redis" }}{{ .Address }}:{{ .Port }}{{ end }}
          DB_PASSWORD={{ with nomadVar "nomad/jobs/api" }}{{ .db_password }}{{ end }}
        EOT
      }

      env {
        API_TOKEN = "demo-token-not-secret-in-real-life"
      }

      resources {
        cpu    = 300
        memory = 256
      }
    }
  }
}
