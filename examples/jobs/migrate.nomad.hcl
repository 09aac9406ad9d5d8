variable "api_image" {
  type        = string
  description = "The API image; its migrations run before the API rolls."
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
      driver = "docker"

      config {
        image   = var.api_image
        command = "/app/migrate"
        args    = ["up"]
      }

      resources {
        cpu    = 100
        memory = 128
      }
    }
  }
}
