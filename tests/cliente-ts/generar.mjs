// Generates src/generado/contrato.ts from the committed contract on every run (never edited by hand, never
// committed), so a contract openapi-typescript can't use fails the run.
//
// openapi-typescript's Node API rather than its CLI for one setting the CLI lacks: `format: binary` as Blob (the
// transform its documentation gives for file uploads). By default it types binary as string, and a string appended to
// a FormData is sent as a text field, not as the file the multipart upload needs.
import { mkdirSync, writeFileSync } from "node:fs";
import ts from "typescript";
import openapiTS, { astToString } from "openapi-typescript";

const contrato = new URL("../../api-spec/openapi.json", import.meta.url);
const destino = new URL("./src/generado/", import.meta.url);

const BLOB = ts.factory.createTypeReferenceNode(ts.factory.createIdentifier("Blob"));
const NULL = ts.factory.createLiteralTypeNode(ts.factory.createNull());

const ast = await openapiTS(contrato, {
  transform(schema) {
    if (schema.format === "binary") return schema.nullable ? ts.factory.createUnionTypeNode([BLOB, NULL]) : BLOB;
    return undefined;
  },
});

mkdirSync(destino, { recursive: true });
writeFileSync(new URL("contrato.ts", destino), astToString(ast));
console.log("generado: src/generado/contrato.ts");
