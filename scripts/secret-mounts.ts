/** `npm run mounts`: prints which Key Vault object lands in which file of which pod, for the selected config. */
import { ConfigError } from "../config/config-error";
import { loadConfig } from "../config/load-config";
import { renderSecretMountMap, secretMountMap } from "../config/secret-mount-map";

try {
  const config = loadConfig();
  process.stdout.write(renderSecretMountMap(config.keyVault.name, secretMountMap(config)));
} catch (e) {
  if (!(e instanceof ConfigError)) throw e;
  process.stderr.write(`${e.message}\n`);
  process.exit(1);
}
