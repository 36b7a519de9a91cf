/**
 * Shared checks of the dashboards' tests: a spec must validate against the Vega-Lite JSON schema shipped in the
 * `vega-lite` package, compile with no warning, and render to SVG in Node with no warning.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { _, Ajv, type Format, type ValidateFunction } from 'ajv';
import type standaloneModule from 'ajv/dist/standalone/index.js';
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import type { Test } from 'tap';

const require = createRequire(import.meta.url);
const standaloneCode = (require('ajv/dist/standalone/index.js') as typeof standaloneModule).default;

let validator: ValidateFunction | null = null;

const cacheDir = fileURLToPath(new URL('../../node_modules/.cache/rba-tests/', import.meta.url));

/** The formats the schema names beyond JSON Schema's: also written beside the cached validator, which needs them. */
const FORMATS_SOURCE = `module.exports = {
  'color-hex': /^#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/,
  uri: (s) => URL.canParse(s),
  'uri-reference': () => true,
};
`;

/**
 * The Vega-Lite schema validator (draft-07). Compiling it takes ~4 s, so the first test process compiles it to
 * standalone code (Ajv's `standaloneCode`) cached in node_modules/.cache, keyed by the schema's hash; the
 * other files load that (~0.5 s). `strictTypes` is off and union types allowed because the generated schema
 * relies on both; the `color-hex` format is Vega-Lite's own; `uri` and `uri-reference` are checked with the
 * WHATWG URL parser (absolute) or accepted (relative).
 */
export function vegaLiteValidator(): ValidateFunction {
  if (validator) return validator;
  // The package's export map publishes the schema as `vega-lite/vega-lite-schema.json` (not `build/…`).
  const schemaText = readFileSync(require.resolve('vega-lite/vega-lite-schema.json'), 'utf8');
  const key = createHash('sha256').update(schemaText).update(FORMATS_SOURCE).digest('hex').slice(0, 16);
  const file = path.join(cacheDir, `vega-lite-validator-${key}.cjs`);
  if (existsSync(file)) {
    validator = require(file) as ValidateFunction;
    return validator;
  }
  const schema = JSON.parse(schemaText) as object;
  const ajv = new Ajv({
    allErrors: true,
    strict: true,
    strictTypes: false,
    allowUnionTypes: true,
    code: { source: true, formats: _`require("./vega-lite-formats.cjs")` },
  });
  const formats = require(writeCached('vega-lite-formats.cjs', FORMATS_SOURCE)) as Record<string, RegExp | Format>;
  for (const [name, format] of Object.entries(formats)) ajv.addFormat(name, format);
  validator = ajv.compile(schema);
  writeCached(path.basename(file), standaloneCode(ajv, validator));
  return validator;
}

/** Writes a file of the cache atomically (test files run in parallel processes); returns its path. */
function writeCached(name: string, text: string): string {
  mkdirSync(cacheDir, { recursive: true });
  const file = path.join(cacheDir, name);
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, text);
  renameSync(temporary, file);
  return file;
}

/** Schema errors of a spec, as readable lines (empty = valid). */
export function schemaErrors(spec: unknown): string[] {
  const validate = vegaLiteValidator();
  if (validate(spec)) return [];
  return (validate.errors ?? [])
    .slice(0, 20)
    .map((e) => `${e.instancePath || '/'} ${e.message} ${JSON.stringify(e.params)}`);
}

interface RecordingLogger {
  messages: string[];
  logger: vega.LoggerInterface;
}

/** A logger (Vega's interface, which vega-lite also takes) that records every warning and error. */
export function recordingLogger(): RecordingLogger {
  const messages: string[] = [];
  let level = vega.Warn;
  const logger: vega.LoggerInterface = {
    level(value?: number) {
      if (value === undefined) return level as never;
      level = value;
      return logger as never;
    },
    error: (...args: readonly unknown[]) => {
      messages.push(`error: ${args.map(String).join(' ')}`);
      return logger;
    },
    warn: (...args: readonly unknown[]) => {
      messages.push(`warn: ${args.map(String).join(' ')}`);
      return logger;
    },
    info: () => logger,
    debug: () => logger,
  };
  return { messages, logger };
}

/** Compiles a Vega-Lite spec to Vega, recording vega-lite's warnings. */
export function compileRecording(spec: TopLevelSpec): { vg: vega.Spec; warnings: string[] } {
  const { messages, logger } = recordingLogger();
  const { spec: vg } = compile(spec, { logger });
  return { vg, warnings: messages };
}

/** Renders a compiled spec to SVG in Node (no canvas), recording Vega's warnings. */
export async function renderRecording(vg: vega.Spec): Promise<{ svg: string; warnings: string[] }> {
  const { messages, logger } = recordingLogger();
  const view = new vega.View(vega.parse(vg), { renderer: 'none', logger, logLevel: vega.Warn });
  const svg = await view.toSVG();
  view.finalize();
  return { svg, warnings: messages };
}

/**
 * The three checks every builder output must pass: valid against the schema, compiled without warnings,
 * rendered without warnings. Returns the SVG for further assertions.
 */
export async function checkSpec(t: Test, spec: TopLevelSpec, name: string): Promise<string> {
  t.same(schemaErrors(spec), [], `${name}: valid against the Vega-Lite schema`);
  t.same(JSON.parse(JSON.stringify(spec)), spec, `${name}: plain JSON (no undefined, no functions)`);
  const { vg, warnings } = compileRecording(spec);
  t.same(warnings, [], `${name}: compiles with no warning`);
  const rendered = await renderRecording(vg);
  t.same(rendered.warnings, [], `${name}: renders with no warning`);
  t.match(rendered.svg, /^<svg /, `${name}: renders an SVG`);
  return rendered.svg;
}

/** The SVG group of one layer's marks (Vega names them `layer_<i>_marks`, `concat_<i>_layer_<j>_marks`, …). */
export function markGroups(svg: string, role: string): string[] {
  const out: string[] = [];
  const re = new RegExp(`<g class="mark-${role} role-mark ([^"]*)"[^>]*>`, 'g');
  for (const m of svg.matchAll(re)) out.push(m[1]!);
  return out;
}

/** The texts of every `<text>` element; a multi-line text (one `<tspan>` per line) gives one entry per line. */
export function texts(svg: string): string[] {
  return [...svg.matchAll(/<text[^>]*>(.*?)<\/text>/g)].flatMap((m) => {
    const inner = m[1]!;
    const lines = inner.includes('<tspan')
      ? [...inner.matchAll(/<tspan[^>]*>([^<]*)<\/tspan>/g)].map((l) => l[1]!)
      : [inner];
    return lines.map(unescapeXml);
  });
}

/** The point symbols (`<path … aria-roledescription="point">`) with their ARIA label, fill and stroke. */
export function points(
  svg: string,
): { label: string; fill: string | null; stroke: string | null; fillOpacity: string | null }[] {
  return [
    ...svg.matchAll(/<path aria-label="([^"]*)" role="graphics-symbol" aria-roledescription="point"([^>]*)>/g),
  ].map((m) => ({
    label: unescapeXml(m[1]!),
    fill: /\sfill="([^"]*)"/.exec(m[2]!)?.[1] ?? null,
    stroke: /\sstroke="([^"]*)"/.exec(m[2]!)?.[1] ?? null,
    fillOpacity: /\sfill-opacity="([^"]*)"/.exec(m[2]!)?.[1] ?? null,
  }));
}

/** Every `aria-label` of the SVG (each mark's ARIA description). */
export function ariaLabels(svg: string): string[] {
  return [...svg.matchAll(/aria-label="([^"]*)"/g)].map((m) => unescapeXml(m[1]!));
}

/** The inner markup of the mark group with this name (its symbols, paths, lines). */
export function markGroupContent(svg: string, name: string): string {
  const start = svg.indexOf(`role-mark ${name}"`);
  if (start === -1) return '';
  const open = svg.indexOf('>', start) + 1;
  // Mark groups hold no nested <g> of their own for symbols, paths, rules and texts.
  const close = svg.indexOf('</g>', open);
  return svg.slice(open, close);
}

function unescapeXml(s: string): string {
  return s
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');
}
