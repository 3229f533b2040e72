/**
 * `npm run mounts`: prints which Key Vault object lands in which file of which pod (per cluster for a fleet),
 * the Key Vault requests those mounts send, and the role assignments the config creates, for the selected config.
 */
import { loadConfig } from "../config/load-config";
import { renderRoleAssignmentBudget } from "../config/identity-limits";
import { renderRequestBudget, requestBudget } from "../config/request-budget";
import { renderMountMapOf } from "../config/secret-mount-map";
import { exitOnUserError } from "../config/user-error";

exitOnUserError(() => {
  const config = loadConfig();
  process.stdout.write(renderMountMapOf(config, config.keyVault.name ?? `kv-${config.namePrefix}-<suffix computed at plan>`));
  process.stdout.write(`\n${renderRequestBudget(requestBudget(config))}`);
  process.stdout.write(`\n${renderRoleAssignmentBudget(config)}`);
});
