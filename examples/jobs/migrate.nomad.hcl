variable "driver" {
  type        = string
  default     = "docker"
  description = "docker runs the image; exec or raw_exec a stand-in from the node's /bin (env/no-docker.vars.hcl)."
}

# A pre-deploy batch job: drover runs it (and waits for it to exit 0) before any service.
job "migrate" {
  type = "batch"

  meta = {
    "drover.phase" = "pre"
  }

  group "migrate" {
    restart {
      attempts = 0
      mode     = "fail"
    }

    reschedule {
      attempts  = 0
      unlimited = false
    }

    task "migrate" {
      driver = var.driver

      dynamic "config" {
        for_each = var.driver == "docker" ? ["busybox:1.37"] : []
        content {
          image   = config.value
          command = "sh"
          args    = ["-c", "echo applying migrations"]
        }
      }

      dynamic "config" {
        for_each = var.driver == "docker" ? [] : ["/bin/sh"]
        content {
          command = config.value
          args    = ["-c", "echo applying migrations"]
        }
      }

      resources {
        cpu    = 100
        memory = 128
      }
    }
  }
}
