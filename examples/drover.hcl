# The project file: `drover plan examples/` reads it. Paths are relative to this file.
stack = "shop"

jobs      = ["jobs/*.nomad.hcl"]
var_files = ["env/staging.vars.hcl"]

# The API needs redis up before it rolls; the web front needs the API.
job "api" {
  depends_on = ["redis"]
}

job "web" {
  depends_on = ["api"]
}
