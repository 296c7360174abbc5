// The frontend's protocol types (src/shared/protocol.ts), compiled from src/shared/protocol.schema.json, which
// `python manage.py protocol_docs` writes from the server's command registry and step kinds. With --check, it
// only says whether protocol.ts is what the schema makes (exit 1 if not), as the test suite asks.
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { compile } from "json-schema-to-typescript";

const shared = join(dirname(fileURLToPath(import.meta.url)), "..", "src", "shared");
const schema = JSON.parse(readFileSync(join(shared, "protocol.schema.json"), "utf8"));
const banner =
  "// Generated from protocol.schema.json by scripts/protocol-types.mjs (npm run protocol): do not edit.\n" +
  "// The server declares these: realtime/registry.py (commands), workshops/steps.py (step kinds).";

const types = await compile(schema, "ProtocolTypes", {
  bannerComment: banner,
  additionalProperties: false,
  declareExternallyReferenced: true,
  ignoreMinAndMaxItems: true,
});
const constants = [
  `export type CommandType = keyof typeof COMMAND_ROLES;`,
  `export const COMMAND_ROLES = ${JSON.stringify(schema["x-command-roles"], null, 2)} as const;`,
  `export const STEP_KINDS = ${JSON.stringify(schema["x-step-kinds"], null, 2)} as const;`,
  `// What a message of one type carries besides its id and type.\nexport type MessageFields<T extends ClientMessage["type"]> = Omit<Extract<ClientMessage, { type: T }>, "id" | "type">;`,
];
const text = `${types}\n${constants.join("\n\n")}\n`;
const target = join(shared, "protocol.ts");

if (process.argv.includes("--check")) {
  const current = readFileSync(target, "utf8");
  if (current !== text) {
    console.error("src/shared/protocol.ts is stale: run `npm run protocol` in frontend/");
    process.exit(1);
  }
} else {
  writeFileSync(target, text);
}
