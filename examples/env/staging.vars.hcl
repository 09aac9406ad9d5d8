environment = "staging"
api_image   = "hashicorp/http-echo:1.0.0"
web_image   = "nginx:1.27-alpine"
api_count   = 2
web_count   = 2
log_level   = "info"
