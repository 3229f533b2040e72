import { SecretObjectConfig } from "../../config/types";

const FIELD_ORDER = ["objectName", "objectType", "objectAlias", "objectVersion", "objectFormat", "objectEncoding", "filePermission"] as const;

/**
 * Renders the Azure provider's `objects` parameter: a YAML string holding `array:`, each entry
 * itself a YAML document. Scalars are JSON-quoted, which YAML reads as double-quoted strings,
 * so no value can break the structure.
 */
export function renderObjectsParameter(objects: readonly SecretObjectConfig[]): string {
  const entries = objects.map((o) => {
    const lines = FIELD_ORDER.filter((f) => o[f] !== undefined).map((f) => `    ${f}: ${JSON.stringify(o[f])}`);
    return `  - |\n${lines.join("\n")}`;
  });
  return `array:\n${entries.join("\n")}\n`;
}
