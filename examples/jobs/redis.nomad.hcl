variable "driver" {
  type        = string
  default     = "docker"
  description = "docker runs the image; exec or raw_exec a stand-in from the node's /bin (env/no-docker.vars.hcl)."
}

job "redis" {
  type = "service"

  group "cache" {
    count = 1

    network {
      port "db" {
        to = 6379
      }
    }

    shutdown_delay = "5s"

    service {
      name     = "redis"
      port     = "db"
      provider = "nomad"
    }

    task "redis" {
      driver = var.driver

      dynamic "config" {
        for_each = var.driver == "docker" ? ["redis:7.4-alpine"] : []
        content {
          image = config.value
          ports = ["db"]
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
        memory = 256
      }
    }
  }
}
