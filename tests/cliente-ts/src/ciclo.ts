// An integrating system in TypeScript: the types openapi-typescript generates from api-spec/openapi.json
// (src/generado/contrato.ts, see generar.mjs) and openapi-fetch drive a whole lifecycle against the service, then
// read it all back from a host where reads need a token (Autorizacion:LecturaPublica=false). Only the generated
// client talks to the service. CicloTypeScriptTests starts the service and passes its addresses and tokens:
//   COMPROMISOS_URL_ABIERTA, COMPROMISOS_URL_CERRADA   base addresses (reads public / reads need a token)
//   COMPROMISOS_TOKEN_ADMINISTRADOR, COMPROMISOS_TOKEN_ANALISTA, COMPROMISOS_TOKEN_LECTOR (a token with no role)
//   COMPROMISOS_SUJETO_ANALISTA                        the analista's sub, to read its audit trail
// Each step prints one line; the first that fails throws, and node exits non-zero with it.
import { createHash } from "node:crypto";
import { deepStrictEqual, equal, ok } from "node:assert/strict";
import createClient from "openapi-fetch";
import type { components, paths } from "./generado/contrato.js";

type Esquemas = components["schemas"];

function variable(nombre: string): string {
  const valor = process.env[nombre];
  if (!valor) throw new Error(`Falta la variable de entorno ${nombre} (la pasa CicloTypeScriptTests).`);
  return valor;
}

const abierta = variable("COMPROMISOS_URL_ABIERTA");
const cerrada = variable("COMPROMISOS_URL_CERRADA");
const sujetoAnalista = variable("COMPROMISOS_SUJETO_ANALISTA");

// openapi-fetch sends these headers on every request; it does not read the contract's `security`.
// JSON answers only in the types: ObtenerInforme and ListarCompromisos also declare the bytes they negotiate for curl.
// The binary operations (the download, the informe as PDF) are read with parseAs, which types their data as what it returns.
function cliente(url: string, token?: string) {
  return createClient<paths, `${string}/${string}json`>({ baseUrl: url, headers: token ? { Authorization: `Bearer ${token}` } : {} });
}

const admin = cliente(abierta, variable("COMPROMISOS_TOKEN_ADMINISTRADOR"));
const analista = cliente(abierta, variable("COMPROMISOS_TOKEN_ANALISTA"));

/** The data of a successful answer, or an error naming the step, the status and the problem the service sent. */
function exito<T>(paso: string, r: { data?: T; error?: unknown; response: Response }): T {
  if (r.data === undefined) {
    throw new Error(`${paso}: ${r.response.status} ${JSON.stringify(r.error)}`);
  }
  console.log(`ok ${paso}`);
  return r.data;
}

/**
 * The items of a page. The page schemas (Pagina*) don't list items as required, so the generated type has them
 * optional (a contract defect): here a page without them is a failure, not an empty page.
 */
function elementos<T>(paso: string, pagina: { items?: T[] }): T[] {
  ok(pagina.items, `${paso}: la página no trae items`);
  return pagina.items;
}

// A minimal PDF: the service recognises it by its %PDF- signature.
const pdf = new TextEncoder().encode("%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n");
const comienzaComoPdf = (bytes: ArrayBuffer) => new TextDecoder().decode(bytes.slice(0, 5)) === "%PDF-";

// The catalog, a programa, its recomendaciones and compromisos.
const ministerio = exito("crear ministerio", await admin.POST("/api/v1/ministerios", { body: { nombre: "Ministerio de Agricultura (TypeScript)" } }));
const indap = exito("crear servicio", await admin.POST("/api/v1/servicios", {
  body: { nombre: "Instituto de Desarrollo Agropecuario", sigla: "INDAP", ministerioId: ministerio.id },
}));
const programa = exito("crear programa", await analista.POST("/api/v1/programas", {
  body: { nombre: "Programa de Desarrollo de Redes Pro Rubro", servicioId: indap.id, anioEvaluacion: 2007, lineaEvaluacion: "EPG" },
}));
equal(programa.estado, "EnSeguimiento");
const enPrograma = { params: { path: { id: programa.id } } };

const rec1 = exito("crear recomendación 1", await analista.POST("/api/v1/programas/{id}/recomendaciones", { ...enPrograma, body: { texto: "Analizar las características mínimas." } }));
const rec2 = exito("crear recomendación 2", await analista.POST("/api/v1/programas/{id}/recomendaciones", { ...enPrograma, body: { texto: "Incorporar criterios objetivos." } }));
const crearCompromiso = async (recomendacion: Esquemas["Recomendacion"], texto: string) =>
  exito(`crear compromiso de la recomendación ${recomendacion.numero}`, await analista.POST("/api/v1/recomendaciones/{id}/compromisos", {
    params: { path: { id: recomendacion.id } },
    body: { texto, fechaVencimiento: "2009-12" },
  }));
const c11 = await crearCompromiso(rec1, "Informar el rediseño.");
const c12 = await crearCompromiso(rec1, "Elaborar matriz de marco lógico.");
const c21 = await crearCompromiso(rec2, "Idem.");
deepStrictEqual([c11.numero, c12.numero, c21.numero], ["1.1", "1.2", "2.1"]);

const vencidos = exito("listar compromisos vencidos", await analista.GET("/api/v1/compromisos", {
  params: { query: { programaId: programa.id, vencidos: true, alCorte: "2009-12-31" } },
}));
equal(elementos("compromisos vencidos", vencidos).length, 3);

// Evidence: reportes, a title-only medio (RegistrarMedioVerificacion, JSON) and a PDF
// (RegistrarMedioVerificacionConArchivo, multipart/form-data: titulo, corte, then the file).
exito("reportar 1.1", await analista.POST("/api/v1/compromisos/{id}/reportes", {
  params: { path: { id: c11.id } }, body: { corte: "2009-12-31", texto: "Se informó el rediseño." },
}));
// The 31-12-2011 reporte as a round of the corte (RegistrarReportesDeCorte), as an agency's system sends them.
const ronda = exito("reportar 1.2 en la ronda del corte", await analista.POST("/api/v1/cortes/{fecha}/reportes", {
  params: { path: { fecha: "2011-12-31" } },
  body: { reportes: [{ compromisoId: c12.id, texto: "El programa no ha funcionado; no se solicitaron recursos." }] },
}));
deepStrictEqual(ronda.items.map(r => r.compromisoId), [c12.id]);
const documento = exito("registrar un medio con solo título", await analista.POST("/api/v1/compromisos/{id}/medios-verificacion", {
  params: { path: { id: c11.id } }, body: { titulo: "Documento Marco", corte: "2009-12-31" },
}));
equal(documento.sha256, null);
const medio = exito("subir un PDF", await analista.POST("/api/v1/compromisos/{id}/medios-verificacion/con-archivo", {
  params: { path: { id: c11.id } },
  body: { titulo: "Minuta explicativa", corte: "2009-12-31", archivo: new Blob([pdf], { type: "application/pdf" }) },
  bodySerializer(body) {
    // openapi-fetch serializes bodies as JSON unless told otherwise: the form, in the order the service reads it.
    const formulario = new FormData();
    formulario.append("titulo", body.titulo);
    formulario.append("corte", body.corte);
    formulario.append("archivo", body.archivo, "minuta.pdf");
    return formulario;
  },
}));
equal(medio.sha256, createHash("sha256").update(pdf).digest("hex"));
equal(medio.tipo, "application/pdf");
equal(medio.nombreArchivo, "minuta.pdf");
equal(medio.tamano, pdf.length);

/** DescargarMedioVerificacion (the whole file): the bytes uploaded, and their SHA-256. */
async function descarga(c: ReturnType<typeof cliente>, paso: string) {
  const bytes = exito(paso, await c.GET("/api/v1/compromisos/{id}/medios-verificacion/{medioId}/contenido", {
    params: { path: { id: c11.id, medioId: medio.id } }, parseAs: "arrayBuffer",
  }));
  deepStrictEqual(new Uint8Array(bytes), pdf);
  equal(createHash("sha256").update(new Uint8Array(bytes)).digest("hex"), medio.sha256);
}
await descarga(analista, "descargar el PDF");

// Calificaciones: egreso is refused while a compromiso is open, with the documented problem.
const calificar = async (compromiso: Esquemas["Compromiso"], cuerpo: Esquemas["CalificacionEntrada"]) =>
  exito(`calificar ${compromiso.numero} ${cuerpo.calificacion}`, await analista.POST("/api/v1/compromisos/{id}/calificaciones", {
    params: { path: { id: compromiso.id } }, body: cuerpo,
  }));
// The 31-12-2009 calificaciones in one round of the corte (CalificarCorte), all or nothing.
const calificadas = exito("calificar 1.1 y 2.1 en la ronda del corte", await analista.POST("/api/v1/cortes/{fecha}/calificaciones", {
  params: { path: { fecha: "2009-12-31" } },
  body: { calificaciones: [
    { compromisoId: c11.id, calificacion: "Cumplido" },
    { compromisoId: c21.id, calificacion: "Cumplido", observacion: "Idem compromiso 1.1." },
  ] },
}));
deepStrictEqual(calificadas.items.map(k => k.compromisoId), [c11.id, c21.id]);
const rechazado = await analista.POST("/api/v1/programas/{id}/egreso", { ...enPrograma, body: {} });
equal(rechazado.response.status, 409);
equal(rechazado.error?.type, "urn:compromisos:regla:egreso-con-compromisos-abiertos");
console.log("ok egreso rechazado con compromisos abiertos (409)");

// Cancelado with the servicio's reporte for 31-12-2011 as its reason; then egreso, dated at the last calificación.
await calificar(c12, { calificacion: "Cancelado", fecha: "2011-12-31" });
const egresado = exito("egreso", await analista.POST("/api/v1/programas/{id}/egreso", { ...enPrograma, body: {} }));
equal(egresado.estado, "Egresado");
equal(egresado.fechaEgreso, "2011-12-31");

// The informe, as PDF (ObtenerInformePdf) and in JSON (ObtenerInforme).
async function informePdf(c: ReturnType<typeof cliente>, paso: string) {
  const bytes = exito(paso, await c.GET("/api/v1/programas/{id}/informe/pdf", { ...enPrograma, parseAs: "arrayBuffer" }));
  ok(comienzaComoPdf(bytes), `${paso}: no es un PDF`);
}
async function informeJson(c: ReturnType<typeof cliente>, paso: string) {
  const informe = exito(paso, await c.GET("/api/v1/programas/{id}/informe", enPrograma));
  equal(informe.titulo, "INFORME DE EGRESO DEL SISTEMA DE CUMPLIMIENTO DE COMPROMISOS");
  equal(informe.recomendaciones.flatMap(r => r.compromisos).length, 3);
}
await informePdf(analista, "informe en PDF");
await informeJson(analista, "informe en JSON");

// The audit trail: one entry per successful write of the analista (14; the refused egreso left none).
async function auditoria(c: ReturnType<typeof cliente>, paso: string) {
  const items = elementos(paso, exito(paso, await c.GET("/api/v1/auditoria", { params: { query: { actor: sujetoAnalista, limit: 200 } } })));
  equal(items.length, 14);
  ok(items.some(e => e.operacion === "EgresarPrograma" && e.entidadId === String(programa.id)), `${paso}: falta el egreso`);
  return items.map(e => e.id);
}
const entradas = await auditoria(analista, "leer la auditoría");

// Everything again where reads need a token (Autorizacion:LecturaPublica=false): a reader with no role at all.
const lector = cliente(cerrada, variable("COMPROMISOS_TOKEN_LECTOR"));
equal(exito("leer el ministerio", await lector.GET("/api/v1/ministerios/{id}", { params: { path: { id: ministerio.id } } })).nombre, ministerio.nombre);
equal(exito("leer el servicio", await lector.GET("/api/v1/servicios/{id}", { params: { path: { id: indap.id } } })).sigla, "INDAP");
equal(exito("leer el programa", await lector.GET("/api/v1/programas/{id}", enPrograma)).estado, "Egresado");
const lista = async <T>(paso: string, r: Promise<{ data?: { items?: T[] }; error?: unknown; response: Response }>) => elementos(paso, exito(paso, await r));
equal((await lista("leer las recomendaciones", lector.GET("/api/v1/programas/{id}/recomendaciones", enPrograma))).length, 2);
deepStrictEqual((await lista("leer los compromisos de la recomendación 1", lector.GET("/api/v1/recomendaciones/{id}/compromisos", {
  params: { path: { id: rec1.id } },
}))).map(c => c.numero), ["1.1", "1.2"]);
const leido11 = exito("leer el compromiso 1.1", await lector.GET("/api/v1/compromisos/{id}", { params: { path: { id: c11.id } } }));
equal(leido11.calificacion, "Cumplido");
// Timeliness: due Diciembre 2009 and Cumplido at 31-12-2009, on time; 1.2 Cancelado has none.
deepStrictEqual(leido11.oportunidad, { cumplidoEn: "2009-12-31", aTiempo: true, mesesDeAtraso: 0 });
deepStrictEqual(exito("leer el compromiso 1.2", await lector.GET("/api/v1/compromisos/{id}", { params: { path: { id: c12.id } } })).oportunidad,
  { cumplidoEn: null, aTiempo: null, mesesDeAtraso: null });
deepStrictEqual((await lista("leer las calificaciones de 1.2", lector.GET("/api/v1/compromisos/{id}/calificaciones", {
  params: { path: { id: c12.id } },
}))).map(c => c.calificacion), ["Cancelado"]);
equal((await lista("leer los reportes de 1.2", lector.GET("/api/v1/compromisos/{id}/reportes", { params: { path: { id: c12.id } } }))).length, 1);
deepStrictEqual((await lista("leer los medios de 1.1", lector.GET("/api/v1/compromisos/{id}/medios-verificacion", {
  params: { path: { id: c11.id } },
}))).map(m => m.id), [documento.id, medio.id]);
equal(exito("leer el medio", await lector.GET("/api/v1/compromisos/{id}/medios-verificacion/{medioId}", {
  params: { path: { id: c11.id, medioId: medio.id } },
})).sha256, medio.sha256);
await descarga(lector, "descargar el PDF con token");
await informePdf(lector, "informe en PDF con token");
await informeJson(lector, "informe en JSON con token");
deepStrictEqual(await auditoria(cliente(cerrada, variable("COMPROMISOS_TOKEN_ANALISTA")), "leer la auditoría con token"), entradas);

// Without a token the closed host answers 401.
const anonimo = await cliente(cerrada).GET("/api/v1/programas/{id}", enPrograma);
equal(anonimo.response.status, 401);
console.log("ok sin token: 401");

console.log("ciclo completo");
