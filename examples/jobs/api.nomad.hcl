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

variable "driver" {
  type        = string
  default     = "docker"
  description = "docker runs the image; exec or raw_exec a stand-in from the node's /bin (env/no-docker.vars.hcl)."
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

    # Time for callers to see the service gone before the task is stopped.
    shutdown_delay = "5s"

    service {
      name     = "api"
      port     = "http"
      provider = "nomad"

      # Only the image answers HTTP: without Docker the deployment goes by task states instead.
      dynamic "check" {
        for_each = var.driver == "docker" ? ["/healthz"] : []
        content {
          type     = "http"
          path     = check.value
          interval = "10s"
          timeout  = "2s"
        }
      }
    }

    task "server" {
      driver = var.driver

      dynamic "config" {
        for_each = var.driver == "docker" ? [var.api_image] : []
        content {
          image = config.value
          args  = ["-listen", ":8080", "-text", "shop api"]
          ports = ["http"]
        }
      }

      dynamic "config" {
        for_each = var.driver == "docker" ? [] : ["/bin/sleep"]
        content {
          command = config.value
          args    = ["infinity"]
        }
      }

      # drover masks values whose key looks secret (DB_PASSWORD, API_TOKEN) in every plan rendering.
      # nomadVarExists first: nomadVar alone would hold the task until the variable nomad/jobs/api exists.
      template {
        destination = "secrets/app.env"
        env         = true
        data        = <<-EOT
          LOG_LEVEL=${var.log_level}
          ENVIRONMENT=${var.environment}
          REDIS_ADDR={{ range nomadService "redis" }}{{ .Address }}:{{ .Port }}{{ end }}
          DB_PASSWORD={{ if nomadVarExists "nomad/jobs/api" }}{{ with nomadVar "nomad/jobs/api" }}{{ .db_password }}{{ end }}{{ end }}
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
