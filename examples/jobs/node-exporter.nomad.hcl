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
      driver = "docker"

      config {
        image        = "prom/node-exporter:v1.8.1"
        network_mode = "host"
      }

      resources {
        cpu    = 50
        memory = 64
      }
    }
  }
}
