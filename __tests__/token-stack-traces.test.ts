import { withoutTokenStackTraces } from "../synth/token-stack-traces";

/** What cdktf's captureStackTrace does for every token it creates. */
function tokenTrace(): string {
  const object = { stack: "" };
  Error.captureStackTrace(object);
  return object.stack;
}

describe("withoutTokenStackTraces", () => {
  test("records no trace for cdktf's plain trace objects while it runs", () => {
    expect(tokenTrace()).not.toBe("");
    expect(withoutTokenStackTraces(() => tokenTrace())).toBe("");
  });

  test("still formats the trace of a real error, with its message and frames", () => {
    const stack = withoutTokenStackTraces(() => new Error("boom").stack);
    expect(stack).toMatch(/^Error: boom\n {4}at /);
  });

  test("puts the previous hook back, also when the run throws", () => {
    const before = Error.prepareStackTrace;
    expect(() => withoutTokenStackTraces(() => { throw new Error("fails"); })).toThrow("fails");
    expect(Error.prepareStackTrace).toBe(before);
    expect(tokenTrace()).not.toBe("");
  });
});
