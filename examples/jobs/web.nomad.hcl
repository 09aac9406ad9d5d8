variable "web_image" {
  type = string
}

variable "web_count" {
  type    = number
  default = 2
}

job "web" {
  type = "service"

  group "web" {
    count = var.web_count

    network {
      port "http" {
        to = 3000
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

    service {
      name     = "web"
      port     = "http"
      provider = "nomad"
    }

    task "frontend" {
      driver = "docker"

      config {
        image = var.web_image
        ports = ["http"]
      }

      resources {
        cpu    = 200
        memory = 192
      }
    }
  }
}
