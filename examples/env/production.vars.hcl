environment = "production"
api_image   = "hashicorp/http-echo:1.0.0"
web_image   = "nginx:1.27-alpine"
api_count   = 4
web_count   = 6
log_level   = "warn"
