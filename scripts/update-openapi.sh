#!/usr/bin/env bash
# Regenerates the committed contract api-spec/openapi.json from the running code (through the contract test), and the
# Directorio de Datos api-spec/directorio-datos.csv generated from it.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
UPDATE_OPENAPI=1 scripts/test.sh --filter "FullyQualifiedName~ContratoOpenApiTests.El_documento_servido_es_el_contrato_comprometido"
git --no-pager diff --stat -- api-spec/openapi.json api-spec/directorio-datos.csv || true
