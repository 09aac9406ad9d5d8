job "redis" {
  type = "service"

  group "cache" {
    count = 1

    network {
      port "db" {
        to = 6379
      }
    }

    service {
      name     = "redis"
      port     = "db"
      provider = "nomad"
    }

    task "redis" {
      driver = "docker"

      config {
        image = "redis:7.2"
        ports = ["db"]
      }

      resources {
        cpu    = 200
        memory = 256
      }
    }
  }
}
