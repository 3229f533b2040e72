/**
 * The default wait after role grants, for the config (`keyVault.rbacPropagationWait`) and for
 * `SecretsVault` alike. Microsoft documents that role assignment changes can take minutes, up to
 * 10, to apply (https://learn.microsoft.com/azure/key-vault/general/rbac-guide,
 * https://learn.microsoft.com/azure/role-based-access-control/troubleshooting), and without any
 * wait the first secret write fails with 403 ForbiddenByRbac. Azure's own verified module hit the
 * same error and waits 30s before secret operations
 * (https://github.com/Azure/terraform-azurerm-avm-res-keyvault-vault, variable
 * wait_for_rbac_before_secret_operations); raise it with keyVault.rbacPropagationWait if a
 * tenant is slower.
 */
export const DEFAULT_RBAC_PROPAGATION_WAIT = "30s";
