# tflint config for `npm run scan` (scripts/scan.sh). Always pass it as an absolute --config path.
# Plugins are pre-built by scan.sh into .scan/plugins (TFLINT_PLUGIN_DIR), so no source/version
# here: tflint must never try to download them.
config {
  call_module_type = "none"
  force            = false
}

plugin "terraform" {
  enabled = true
  preset  = "recommended"
}

plugin "azurerm" {
  enabled = true
}
