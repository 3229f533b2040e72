import { classifyInit } from "../scripts/validate";

// npm run validate run with terraform: terraform/validate.test.ts (npm run test:terraform).

describe("npm run validate: reading terraform init", () => {
  test("tells missing providers apart from an invalid configuration", () => {
    expect(classifyInit(0, "")).toBe("ok");
    expect(classifyInit(1, "Error: Failed to query available provider packages\nhashicorp/azurerm: could not connect to registry.terraform.io")).toBe("providers-unavailable");
    expect(classifyInit(1, "Error: Failed to install provider\nError while installing hashicorp/time v0.13.1")).toBe("providers-unavailable");
    expect(classifyInit(1, "Error: Terraform encountered problems during initialisation, including problems with the configuration")).toBe("invalid");
  });
});
