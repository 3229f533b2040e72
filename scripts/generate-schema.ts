/**
 * `npm run schema`: writes config.schema.json from config/schema.ts. Run it after changing the
 * schema; __tests__/config-schema.test.ts fails while the committed file is stale.
 */
import * as fs from "fs";
import * as path from "path";
import { configJsonSchema } from "../config/schema";

const file = path.join(__dirname, "..", "config.schema.json");
fs.writeFileSync(file, configJsonSchema());
console.log(`wrote ${path.relative(process.cwd(), file)}`);
