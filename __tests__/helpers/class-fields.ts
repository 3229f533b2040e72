/**
 * How this runtime sets a class field that a base class defines as an accessor: with define
 * semantics (native ES2022 fields, as tsc emits them for target ES2022) the accessor is not called.
 * sucrase-options.test.ts runs it under jest and under the app's loader.
 */
class Base {
  setterCalls = 0;
  set value(_v: number) {
    this.setterCalls++;
  }
}

class Derived extends Base {
  // @ts-expect-error tsc refuses this shadowing in the app's code (TS2610); the probe needs it.
  value = 1;
}

export function classFieldSemantics(): "define" | "set" {
  return new Derived().setterCalls === 0 ? "define" : "set";
}
