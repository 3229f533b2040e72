import * as fs from "fs";
afterAll(() => { fs.appendFileSync("/tmp/speed/pids.txt", `${process.pid} ${Math.round(process.memoryUsage().rss/1e6)} ${expect.getState().testPath?.split("/").pop()}\n`); });
