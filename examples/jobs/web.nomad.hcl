variable "web_image" {
  type = string
}

variable "web_count" {
  type    = number
  default = 2
}

variable "driver" {
  type        = string
  default     = "docker"
  description = "docker runs the image; exec or raw_exec a stand-in from the node's /bin (env/no-docker.vars.hcl)."
}

job "web" {
  type = "service"

  group "web" {
    count = var.web_count

    network {
      port "http" {
        to = 80
      }
    }

    # One canary first; drover stops at "promotion-ready" unless apply --auto-promote.
    update {
      max_parallel     = 1
      canary           = 1
      min_healthy_time = "10s"
      healthy_deadline = "3m"
      auto_revert      = true
    }

    shutdown_delay = "5s"

    service {
      name     = "web"
      port     = "http"
      provider = "nomad"
    }

    task "frontend" {
      driver = var.driver

      dynamic "config" {
        for_each = var.driver == "docker" ? [var.web_image] : []
        content {
          image = config.value
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

      resources {
        cpu    = 200
        memory = 192
      }
    }
  }
}
