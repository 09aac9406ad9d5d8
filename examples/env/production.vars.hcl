environment = "production"
api_image   = "example/shop-api:1.4.0"
web_image   = "example/shop-web:2.1.0"
api_count   = 4
web_count   = 6
log_level   = "warn"
