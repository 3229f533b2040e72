import { Token } from "cdktf";
import { RULES } from "../../config/naming-rules";
import { ChartSourceConfig } from "../../config/types";

/**
 * Refuses a chart source that is not an https:// or oci:// repository with an exact version
 * (RULES.chartRepository, RULES.chartVersion): a Helm release must come over TLS and be
 * reproducible. Tokens are left to Terraform.
 * @param what how the message names the chart, e.g. "Reloader chart"
 */
export function checkChartSource(what: string, chart: ChartSourceConfig): void {
  if (!Token.isUnresolved(chart.repository) && !RULES.chartRepository.pattern.test(chart.repository)) {
    throw new Error(`${what}.repository must be ${RULES.chartRepository.allowed}, got ${JSON.stringify(chart.repository)}`);
  }
  if (!Token.isUnresolved(chart.version) && !RULES.chartVersion.pattern.test(chart.version)) {
    throw new Error(`${what}.version must be ${RULES.chartVersion.allowed}, got ${JSON.stringify(chart.version)}`);
  }
}
