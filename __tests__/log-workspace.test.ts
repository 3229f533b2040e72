import { LogWorkspace } from "../constructs/azure-monitoring";
import { azureStack, synthesized } from "./helpers/stacks";

describe("LogWorkspace", () => {
  test("fails when retention is outside 30-730 days", () => {
    expect(() => new LogWorkspace(azureStack(), "l", { name: "l", location: "westeurope", resourceGroupName: "rg", retentionInDays: 7 })).toThrow(
      "LogWorkspace retentionInDays must be 30-730, got 7",
    );
  });

  test("keeps logs 90 days and tags nothing by default", () => {
    const stack = azureStack();
    new LogWorkspace(stack, "l", { name: "l", location: "westeurope", resourceGroupName: "rg" });
    const [workspace] = synthesized(stack, "azurerm_log_analytics_workspace");
    expect(workspace.retention_in_days).toBe(90);
    expect(workspace).not.toHaveProperty("tags");
  });
});
