import { Aspects, App, TerraformStack } from "cdktf";
import { SecurityBaseline } from "./security-baseline";

/**
 * An App whose every stack, including stacks a user adds later, is held to the SecurityBaseline.
 * cdktf applies only aspects found on a stack or below it, never the App's own, so the baseline
 * is attached to each stack just before synthesis.
 */
export class SecureApp extends App {
  private readonly baseline = new SecurityBaseline();

  synth(): void {
    for (const stack of this.node.findAll().filter(TerraformStack.isStack)) {
      if (!Aspects.of(stack).all.includes(this.baseline)) Aspects.of(stack).add(this.baseline);
    }
    super.synth();
  }
}
