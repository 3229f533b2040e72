import { LogWorkspace } from "../constructs/azure-monitoring";
import { azureStack } from "./helpers/stacks";

describe("LogWorkspace", () => {
  test("fails when retention is outside 30-730 days", () => {
    expect(() => new LogWorkspace(azureStack(), "l", { name: "l", location: "westeurope", resourceGroupName: "rg", retentionInDays: 7 })).toThrow(
      "LogWorkspace retentionInDays must be 30-730, got 7",
    );
  });
});
