import * as fs from "fs";
import * as path from "path";
import { AKS_ADDON_DRIVER_VERSION, csiDriverVersion, DRIVER_CHARTS, KUBELET_POD_SYNC_MAX_SECONDS, rotationDelayAfterInterval } from "../config/driver-charts";
import { DriverConfig } from "../config/types";

const helm = (version: string): DriverConfig => ({
  type: "helm",
  driverChart: { repository: DRIVER_CHARTS.driver.repository, version },
  providerChart: { repository: DRIVER_CHARTS.provider.repository, version: DRIVER_CHARTS.provider.version },
});

test("the add-on runs the driver version AKS ships, and the helm driver its chart's version", () => {
  expect(csiDriverVersion({ type: "addon" })).toBe(AKS_ADDON_DRIVER_VERSION);
  expect(csiDriverVersion(helm("1.6.0"))).toBe("1.6.0");
});

test("a rotation may land up to kubelet's pod sync after the interval from driver 1.6 on, and not before", () => {
  expect(rotationDelayAfterInterval({ type: "addon" })).toBe(0);
  expect(rotationDelayAfterInterval(helm(DRIVER_CHARTS.driver.version))).toBe(0);
  expect(rotationDelayAfterInterval(helm("1.6.0"))).toBe(KUBELET_POD_SYNC_MAX_SECONDS);
  expect(rotationDelayAfterInterval(helm("2.0.0"))).toBe(KUBELET_POD_SYNC_MAX_SECONDS);
});

test("the e2e run's first node runs the add-on's driver version", () => {
  const modules = fs.readFileSync(path.join(__dirname, "..", "scripts", "lib-go-modules.sh"), "utf8");
  expect(/^CSI_DRIVER_VERSION=v(\S+)$/m.exec(modules)?.[1]).toBe(AKS_ADDON_DRIVER_VERSION);
});
