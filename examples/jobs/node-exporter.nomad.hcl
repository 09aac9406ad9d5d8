variable "driver" {
  type        = string
  default     = "docker"
  description = "docker runs the image; exec or raw_exec a stand-in from the node's /bin (env/no-docker.vars.hcl)."
}

# A system job: one allocation on every client node.
job "node-exporter" {
  type = "system"

  group "exporter" {
    network {
      port "metrics" {
        static = 9100
      }
    }

    task "node-exporter" {
      driver = var.driver

      dynamic "config" {
        for_each = var.driver == "docker" ? ["prom/node-exporter:v1.8.2"] : []
        content {
          image        = config.value
          network_mode = "host"
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
        cpu    = 50
        memory = 64
      }
    }
  }
}
