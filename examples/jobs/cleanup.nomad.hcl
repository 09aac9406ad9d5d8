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
      driver = "docker"

      config {
        image   = "example/shop-api:1.4.0"
        command = "/app/expire-sessions"
      }

      resources {
        cpu    = 100
        memory = 64
      }
    }
  }
}
