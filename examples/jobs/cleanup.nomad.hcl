variable "driver" {
  type        = string
  default     = "docker"
  description = "docker runs the image; exec or raw_exec a stand-in from the node's /bin (env/no-docker.vars.hcl)."
}

# Nightly: expire old sessions. drover registers it; Nomad launches it on the schedule.
job "cleanup" {
  type = "batch"

  periodic {
    crons            = ["0 3 * * *"]
    time_zone        = "UTC"
    prohibit_overlap = true
  }

  group "cleanup" {
    task "expire-sessions" {
      driver = var.driver

      dynamic "config" {
        for_each = var.driver == "docker" ? ["busybox:1.37"] : []
        content {
          image   = config.value
          command = "sh"
          args    = ["-c", "echo expiring sessions"]
        }
      }

      dynamic "config" {
        for_each = var.driver == "docker" ? [] : ["/bin/sh"]
        content {
          command = config.value
          args    = ["-c", "echo expiring sessions"]
        }
      }

      resources {
        cpu    = 100
        memory = 64
      }
    }
  }
}
